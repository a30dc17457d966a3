import ChronicleCodegen
import Foundation
import Testing

/// The generated code for the Bank schema, compared with the reference files in `References/`.
/// The Bank target compiles exactly this output through the plugin, so the references compile.
/// Set CHRONICLE_UPDATE_REFERENCES=1 to rewrite them after an intended change.
@Suite("Reference output for the Bank schema")
struct ReferenceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func bankMatchesTheReferences() throws {
        let schema = Self.root.appendingPathComponent("Schemas/Bank/Bank.chronicle.yaml")
        let result = Generator(moduleName: "Bank").generate([SchemaSource(path: schema.path, text: try String(contentsOf: schema, encoding: .utf8))])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.files.map(\.name) == ["Bank.chronicle.swift", "Bank.chronicle-module.swift"])
        let references = Self.root.appendingPathComponent("Tests/ChronicleCodegenTests/References")
        for file in result.files {
            let reference = references.appendingPathComponent(file.name + ".txt")
            if ProcessInfo.processInfo.environment["CHRONICLE_UPDATE_REFERENCES"] == "1" {
                try file.contents.write(to: reference, atomically: true, encoding: .utf8)
            }
            let expected = try String(contentsOf: reference, encoding: .utf8)
            #expect(file.contents == expected, "\(file.name) differs from \(reference.path); run with CHRONICLE_UPDATE_REFERENCES=1 to update")
        }
    }

    @Test func outputIsDeterministic() throws {
        let schema = Self.root.appendingPathComponent("Schemas/Bank/Bank.chronicle.yaml")
        let source = SchemaSource(path: "Bank.chronicle.yaml", text: try String(contentsOf: schema, encoding: .utf8))
        let first = Generator(moduleName: "Bank").generate([source]).files
        let second = Generator(moduleName: "Bank").generate([source]).files
        #expect(first == second)
    }
}
