import Testing

/// What only generated code calls is `@_spi(Generated)`: a user's `import Chronicle` does not see
/// it, while the same code compiles for a file that opts in, as generated files do.
@Suite("The runtime's public surface")
struct RuntimeSurfaceTests {
    /// Reaches every generated-only entry point: changing a view by hand, recording on an
    /// aggregate state set, running a hand-assembled transaction.
    static func user(importing header: String) -> String {
        """
        \(header)
        import Bank

        func reachIntoTheRuntime(processor: CommandProcessor, event: BankEvent, states: AggregateStateSet) async throws {
            let host = ViewHost<AccountSummary>(folder: nil)
            host.reset()
            host.advance(to: 1, eventID: UUID())
            try host.persist()
            _ = host.unsavedEvents
            _ = try await event.recording(in: states)
            try await processor.execute(commandName: "Raw", payload: 1, context: CommandContext()) { transaction in
                _ = transaction
            }
        }
        """
    }

    @Test func generatedOnlyAPIIsHiddenFromAPlainImport() async throws {
        let outcome = try await SwiftCompiler.typecheck([], module: "User", extra: ["User.swift": Self.user(importing: "import Chronicle\nimport Foundation")])
        #expect(outcome.status != 0)
        let hidden = outcome.errors.filter { $0.contains("'@_spi' protection level") || $0.contains("cannot find type 'AggregateStateSet'") }
        // One error per entry point: the view host's four, the state set (as a type and through
        // `recording`), and `execute`.
        for name in ["reset", "advance", "persist", "unsavedEvents", "recording", "execute", "AggregateStateSet"] {
            #expect(hidden.contains { $0.contains("'\(name)") }, "\(name) is visible to a plain import:\n\(outcome.output)")
        }
    }

    @Test func generatedOnlyAPICompilesForCodeThatOptsIn() async throws {
        let outcome = try await SwiftCompiler.typecheck(
            [], module: "User", extra: ["User.swift": Self.user(importing: "@_spi(Generated) import Chronicle\n@_spi(Generated) import Bank\nimport Foundation")])
        #expect(outcome.isClean, "\(outcome.output)")
    }
}
