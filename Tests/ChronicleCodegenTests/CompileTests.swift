import ChronicleCodegen
import Testing

/// Generated code compiles without a warning for every feature of the language, with names that
/// are Swift keywords or not ASCII.
@Suite("Generated code compiles cleanly")
struct CompileTests {
    /// Every kind of type, operation, view form and id kind, with awkward names.
    static let everyFeature = """
        chronicle: 1
        doc: Every feature of the language, with names that are Swift keywords.
        types:
          Cents: { alias: Int }
          Amount: { alias: Cents }
          Größe: { enum: [klein, groß], doc: Non-ASCII names. }
          Mode: { enum: [default, case, in, for, where, is, as, try, throw, return, class, func, static, open, public, internal, switch] }
          Tag: { struct: { label: String, weight: Double } }
          Line:
            struct:
              default: Mode
              in: Amount
              class: String?
              tags: "[Tag]"
              at: Date
              who: String?
              where: Int64
              größe: Größe

        aggregates:
          Pen:
            id: String
            state:
              default: { type: Amount, default: 0 }
              case: { type: Mode, default: default }
              in: { type: Int64, default: 0 }
              for: { type: Double, default: 0 }
              return: { type: Bool, default: false }
              lines: { type: "[Line]", default: [] }
              tags: { type: "[Tag]", default: [] }
              note: { type: String?, default: null }
              größe: { type: Größe, default: klein }
              owner: { type: Pen.ID?, default: null }
              since: { type: Date?, default: null }
              ref: { type: UUID?, default: null }
            events:
              Filled:
                fields: { default: Amount, case: Mode, class: String? }
                apply: { add: { default: default }, set: { case: case, note: class } }
              Emptied:
                fields: { default: Amount }
                apply: { subtract: { default: default } }
                inverse: Refilled
              Refilled:
                fields: { default: Amount }
                apply: { add: { default: default } }
                inverse: Emptied
              Tagged:
                fields: { tag: Tag }
                apply: { append: { tags: tag } }
              Untagged:
                fields: { tag: Tag }
                apply: { remove: { tags: tag } }
              Counted:
                fields: { in: Int64, for: Double, return: Bool, größe: Größe }
                apply: { add: { in: in, for: for }, set: { return: return, größe: größe } }
              Lined:
                fields: { line: Line }
                apply: { append: { lines: line } }
              Handed:
                fields: { to: Pen.ID?, at: Date?, ref: UUID? }
                apply: { set: { owner: to, since: at, ref: ref } }
              Sealed:
                irreversible: sealing cannot be undone
              Mixed:
                fields: { amount: Amount }
                apply: swift
            commands:
              Fill: { fields: { default: Amount, case: Mode, class: String? }, emits: [Filled], creates: true }
              Empty: { fields: { default: Amount }, emits: [Emptied], errors: [default, return, in], decide: swift }
              Label: { fields: { tag: Tag }, emits: [Tagged] }
              Count: { fields: { in: Int64, for: Double, return: Bool, größe: Größe }, emits: [Counted] }
              Seal: { emits: [Sealed] }
              Mix: { fields: { amount: Amount }, emits: [Mixed, Tagged], decide: swift }
          Ink:
            id: Int
            state:
              level: { type: Int, default: 0 }
            events:
              Poured: { fields: { level: Int }, apply: { add: { level: level } } }
            commands:
              Pour: { fields: { level: Int }, emits: [Poured], creates: true }
          Nib:
            state:
              width: { type: Double, default: 0 }
            events:
              Ground: { fields: { width: Double }, apply: { set: { width: width } } }
            commands:
              Grind: { fields: { width: Double }, emits: [Ground] }

        commands:
          Swap:
            targets: { from: Pen, to: Pen, ink: Ink }
            fields: { default: Amount }
            emits: { from: [Emptied], to: [Refilled], ink: [Poured] }
            errors: [in, default]
            decide: swift

        views:
          Pens:
            key: Pen
            fields:
              default: { type: Amount, default: 0 }
              case: { type: Mode, default: default }
              in: { type: Int64, default: 0 }
              größe: { type: Größe, default: klein }
              seen: { type: Int, default: 0 }
              lines: { type: "[Line]", default: [] }
            index: [case, größe]
            on:
              Pen.Filled: { add: { default: default, seen: 1 }, set: { case: case } }
              Pen.Emptied: { subtract: { default: default } }
              Pen.Refilled: { add: { default: default } }
              Pen.Counted: { add: { in: in } }
              Pen.Lined:
                append:
                  lines: { default: case, in: 1, class: null, tags: [], at: $recordedAt, who: $actor, where: $position, größe: groß }
          Totals:
            fields:
              default: { type: Amount, default: 0 }
              pours: { type: Int, default: 0 }
              last: { type: Int64, default: 0 }
            on:
              Pen.Emptied: { subtract: { default: default } }
              Pen.Refilled: { add: { default: default } }
              Ink.Poured: { add: { pours: 1, last: $streamVersion } }
          Inks:
            key: Ink
            fields: { level: { type: Int, default: 0 }, count: { type: Int, default: 0 } }
            on:
              Ink.Poured: { add: { level: level, count: 1 } }
        """

    /// What the schema leaves to Swift (`apply: swift`), written as a user would.
    static let rules = """
        extension Pen.State {
            public static func apply(_ event: Pen.Mixed, to state: inout Pen.State) {
                state.default += event.amount
            }

            public static func revert(_ event: Pen.Mixed, to state: inout Pen.State) {
                state.default -= event.amount
            }
        }
        """

    @Test func everyFeatureCompilesWithoutWarnings() async throws {
        let result = Generator(moduleName: "Zoo").generate([SchemaSource(path: "Zoo.chronicle.yaml", text: Self.everyFeature)])
        #expect(result.diagnostics.map(\.description) == [])
        guard result.succeeded else { return }
        let outcome = try await SwiftCompiler.typecheck(result.files, module: "Zoo", extra: ["ZooRules.swift": Self.rules])
        #expect(outcome.isClean, "\(outcome.output)")
    }
}

extension CompileTests {
    /// An event applied in Swift that cannot be undone needs only its `apply`: no `revert` that
    /// could never be called.
    @Test func anIrreversibleSwiftEventNeedsNoRevert() async throws {
        let schema = """
            chronicle: 1
            aggregates:
              Meter:
                state: { reading: { type: Int, default: 0 } }
                events:
                  Read: { fields: { value: Int }, apply: swift, irreversible: a reading cannot be unread }
                commands:
                  Record: { fields: { value: Int }, emits: [Read] }
            """
        let result = Generator(moduleName: "Meters").generate([SchemaSource(path: "Meters.chronicle.yaml", text: schema)])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let rules = """
            extension Meter.State {
                public static func apply(_ event: Meter.Read, to state: inout Meter.State) {
                    state.reading = event.value
                }
            }
            """
        let outcome = try await SwiftCompiler.typecheck(result.files, module: "Meters", extra: ["Rules.swift": rules])
        #expect(outcome.isClean, "\(outcome.output)")
    }
}

extension CompileTests {
    /// Each aggregate gets typed reads on the app (`app.close(id)` for an aggregate `Close`):
    /// aggregates named like the app's own members still compile.
    @Test func aggregatesNamedLikeTheAppsMembersCompile() async throws {
        let names = ["Queries", "Commands", "Close", "Revert", "Open", "RefreshingViews", "OwnedStore", "Views"]
        var schema = "chronicle: 1\naggregates:\n"
        for name in names {
            schema += "  \(name):\n    state: { n: { type: Int, default: 0 } }\n    events:\n      Counted: { fields: { by: Int }, apply: { add: { n: by } } }\n"
            schema += "    commands:\n      Count: { fields: { by: Int }, emits: [Counted] }\n"
        }
        let result = Generator(moduleName: "Members").generate([SchemaSource(path: "Members.chronicle.yaml", text: schema)])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        guard result.succeeded else { return }
        let outcome = try await SwiftCompiler.typecheck(result.files, module: "Members")
        #expect(outcome.isClean, "\(outcome.output)")
    }
}

extension CompileTests {
    /// Names the generated code does not use stay free for schemas: a struct named `Data` or
    /// `URL` (Foundation's names, hidden in the module by the schema's own) compiles.
    @Test func namesTheGeneratedCodeDoesNotUseStayFree() async throws {
        let schema = """
            chronicle: 1
            types:
              Data: { struct: { bytes: Int } }
              URL: { alias: String }
            aggregates:
              Upload:
                state: { last: { type: Data?, default: null }, at: { type: URL, default: "" } }
                events:
                  Sent: { fields: { data: Data, to: URL }, apply: { set: { last: data, at: to } } }
                commands:
                  Send: { fields: { data: Data, to: URL }, emits: [Sent] }
            """
        let result = Generator(moduleName: "Uploads").generate([SchemaSource(path: "Uploads.chronicle.yaml", text: schema)])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        guard result.succeeded else { return }
        let outcome = try await SwiftCompiler.typecheck(result.files, module: "Uploads")
        #expect(outcome.isClean, "\(outcome.output)")
    }
}
