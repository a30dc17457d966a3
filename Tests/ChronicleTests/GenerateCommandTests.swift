import Foundation
import Testing
import TestSupport

/// `chronicle generate` as the build plugin runs it: problems as compiler diagnostics, nothing
/// written when anything is wrong.
@Suite("chronicle generate")
struct GenerateCommandTests {
    static let schema = """
        chronicle: 1
        types:
          Money: { alias: Intt }
        """

    @Test func diagnosticsAndTheirNotesGoToStandardErrorAndNothingIsWritten() async throws {
        let folder = try TemporaryFolder()
        try Self.schema.write(toFile: folder.sub("Shop.chronicle.yaml"), atomically: true, encoding: .utf8)
        let outcome = try await CLIProcess.run(["generate", "--module", "Shop", "--output", folder.sub("out"), folder.sub("Shop.chronicle.yaml")], in: folder)
        #expect(outcome.status == 1)
        let place = folder.sub("Shop.chronicle.yaml") + ":3:19"
        #expect(outcome.stderr == "\(place): error: unknown type 'Intt'\n\(place): note: did you mean 'Int'?\n")
        #expect(!FileManager.default.fileExists(atPath: folder.sub("out")))
    }

    @Test func anUnreadableTemplatesFolderIsAnError() async throws {
        let folder = try TemporaryFolder()
        try Self.schema.replacingOccurrences(of: "Intt", with: "Int").write(toFile: folder.sub("Shop.chronicle.yaml"), atomically: true, encoding: .utf8)
        let outcome = try await CLIProcess.run(["generate", "--module", "Shop", "--output", folder.sub("out"), "--templates", folder.sub("missing"), folder.sub("Shop.chronicle.yaml")], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "\(folder.sub("missing")): error: cannot read the templates folder: there is no such folder\n")
        #expect(!FileManager.default.fileExists(atPath: folder.sub("out")))
    }

    @Test func aTemplateThatDoesNotParseIsReportedAtItsLineAndNothingIsWritten() async throws {
        let folder = try TemporaryFolder()
        try Self.schema.replacingOccurrences(of: "Intt", with: "Int").write(toFile: folder.sub("Shop.chronicle.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder.sub("templates"), withIntermediateDirectories: true)
        try "// {{name}}\n{{#doc}}\n{{/docs}}\n".write(toFile: folder.sub("templates/type.mustache"), atomically: true, encoding: .utf8)
        let outcome = try await CLIProcess.run(["generate", "--module", "Shop", "--output", folder.sub("out"), "--templates", folder.sub("templates"), folder.sub("Shop.chronicle.yaml")], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("\(folder.sub("templates/type.mustache")):3:"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("error: template 'type' does not parse"))
        #expect(!FileManager.default.fileExists(atPath: folder.sub("out")))
    }
}

extension GenerateCommandTests {
    /// A schema file over the size limit is refused before it is read: a sparse file of 1 GiB
    /// takes no disk space, and reading it would take a gigabyte of memory.
    @Test func anOversizedSchemaIsRefusedWithoutReadingIt() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("Huge.chronicle.yaml")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("chronicle: 1\n".utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        let outcome = try await CLIProcess.run(["generate", "--module", "Shop", "--output", folder.sub("out"), path], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "\(path):1:1: error: the schema file is 1073741824 bytes, more than the 16777216 bytes a schema may have\n")
    }
}

extension GenerateCommandTests {
    static var corpusFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("ChronicleCodegenTests/Corpus").path
    }

    /// The generator's corpus through the command the build plugin runs: every input ends with
    /// exit 0, or exit 1 and only `file:line:column: error:` and `note:` lines — never a crash
    /// (a signal) or a hang (a generous guard ends the process and fails the test).
    @Test(arguments: try FileManager.default.contentsOfDirectory(atPath: GenerateCommandTests.corpusFolder).sorted())
    func corpusThroughTheCommand(file: String) async throws {
        let folder = try TemporaryFolder()
        let child = try CLIProcess.start(["generate", "--module", "Corpus", "--output", folder.sub("out"), Self.corpusFolder + "/" + file], in: folder)
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await child.waitUntilExit()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(120))
                guard child.isRunning else { return true }
                await child.terminate()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(finished, "chronicle generate did not finish within the hang guard")
        #expect(child.terminationReason == .exit, "ended by a signal")
        let errors = CLIProcess.read(child.stderr).split(separator: "\n")
        if child.terminationStatus == 0 {
            #expect(errors.isEmpty)
        } else {
            #expect(child.terminationStatus == 1)
            #expect(!errors.isEmpty)
            for line in errors {
                #expect(CompilerStyleLine.matches(line, kinds: ["error", "note"]), "\(line)")
            }
        }
    }
}
