import Foundation
import Testing

/// Every Swift snippet of the runtime's DocC articles compiles against the runtime and the Bank
/// module as built: documentation that shows an API the code no longer has fails here. (The
/// README's snippets are built and run by `.ci/consumer-package-test`.)
@Suite("DocC snippets compile")
struct DocumentationSnippetTests {
    /// Snippets are fragments of one story: each becomes the body of a function of its own,
    /// whose parameters are the values the articles' prose introduces, so a snippet may use them
    /// or declare them afresh.
    static let storyValues = "bank: BankApp, ada: Account.ID, store: FlatFileEventStore, threeDaysAgo: Date, outcome: CommandOutcome"
    static let imports = "import Bank\nimport Chronicle\nimport ChroniclePostgres\nimport Foundation\nimport Logging\n"

    struct Snippet {
        var article: String
        var line: Int
        var code: String
    }

    static func snippets(in article: URL) throws -> [Snippet] {
        let lines = try String(contentsOf: article, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var result: [Snippet] = []
        var current: (line: Int, code: [Substring])?
        for (offset, line) in lines.enumerated() {
            if let open = current {
                if line.hasPrefix("```") {
                    result.append(Snippet(article: article.lastPathComponent, line: open.line, code: open.code.joined(separator: "\n")))
                    current = nil
                } else {
                    current?.code.append(line)
                }
            } else if line.trimmingCharacters(in: .whitespaces) == "```swift" {
                current = (offset + 2, [])
            }
        }
        return result
    }

    @Test func everySnippetOfTheArticlesCompiles() async throws {
        let catalog = ReferenceTests.root.appendingPathComponent("Sources/Chronicle/Chronicle.docc")
        let articles = try FileManager.default.contentsOfDirectory(atPath: catalog.path).filter { $0.hasSuffix(".md") }.sorted()
        var snippets: [Snippet] = []
        for name in articles { snippets += try Self.snippets(in: catalog.appendingPathComponent(name)) }
        #expect(snippets.count >= 8, "the articles' snippets were not found")
        var file = Self.imports
        var origins: [String] = []
        for (number, snippet) in snippets.enumerated() {
            let body = snippet.code.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("import ") }
            file += "\n// \(snippet.article):\(snippet.line)\nfunc snippet\(number)(\(Self.storyValues)) async throws {\n"
            file += body.joined(separator: "\n") + "\n}\n"
            origins.append("\(snippet.article):\(snippet.line)")
        }
        let outcome = try await SwiftCompiler.typecheck([], module: "Snippets", extra: ["Snippets.swift": file])
        #expect(outcome.status == 0 && outcome.errors.isEmpty, "snippets from \(origins.joined(separator: ", ")):\n\(outcome.output)\n\(file)")
    }
}
