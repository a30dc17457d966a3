import ChronicleCodegen
import Foundation
import Testing
import TestSupport

/// Random valid schemas compile cleanly; mutated schemas either generate code that compiles or
/// fail with located errors — never a crash.
///
/// The seeds are fixed so that a failure reproduces; `CHRONICLE_FUZZ_SEED=N` explores others, and
/// `CHRONICLE_FUZZ_ROUNDS=N` runs more rounds.
@Suite("Fuzzing the generator")
struct FuzzTests {
    static var baseSeed: UInt64 { ProcessInfo.processInfo.environment["CHRONICLE_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_127 }
    static var rounds: Int { ProcessInfo.processInfo.environment["CHRONICLE_FUZZ_ROUNDS"].flatMap(Int.init) ?? 3 }

    /// Several random schemas per module, so that one compile checks many.
    @Test func randomValidSchemasCompileWithoutWarnings() async throws {
        for round in 0..<Self.rounds {
            let schemas = (0..<4).map { index in
                RandomSchema(seed: Self.baseSeed &+ UInt64(round * 4 + index), prefix: ["A", "B", "C", "D"][index])
            }
            let sources = schemas.enumerated().map { SchemaSource(path: "S\($0.offset).chronicle.yaml", text: $0.element.yaml) }
            let result = Generator(moduleName: "Fuzz").generate(sources)
            #expect(result.diagnostics.isEmpty, "round \(round): \(result.diagnostics.map(\.description).joined(separator: "\n"))\n\(sources.map(\.text).joined(separator: "\n---\n"))")
            guard result.succeeded else { continue }
            let outcome = try await SwiftCompiler.typecheck(result.files, module: "Fuzz", extra: ["Rules.swift": "import Chronicle\n" + schemas.map(\.swift).joined()])
            #expect(outcome.isClean, "round \(round): \(outcome.errors + outcome.warnings)\n\(sources.map(\.text).joined(separator: "\n---\n"))")
        }
    }
}

extension FuzzTests {
    /// Schemas the mutations start from.
    static func seeds() throws -> [String] {
        let bank = try String(contentsOfFile: packageRoot + "/Schemas/Bank/Bank.chronicle.yaml", encoding: .utf8)
        return [bank, CompileTests.everyFeature, RandomSchema(seed: baseSeed, prefix: "R").yaml]
    }

    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// Each mutant of a valid schema either generates code (a sample of which is compiled) or
    /// fails with errors that all have a file, line and column.
    @Test func mutatedSchemasFailWithLocatedErrorsOrCompile() async throws {
        var random = SeededRandom(seed: Self.baseSeed)
        var mutator = SchemaMutator()
        var compiled = 0, failed = 0, generated = 0
        for (index, seed) in try Self.seeds().enumerated() {
            let baseline = Generator(moduleName: "Mutant").generate([SchemaSource(path: "M.chronicle.yaml", text: seed)]).files
            for _ in 0..<(60 * Self.rounds) {
                let mutant = mutator.mutate(seed, random: &random)
                let result = Generator(moduleName: "Mutant").generate([SchemaSource(path: "M.chronicle.yaml", text: mutant)])
                if result.succeeded {
                    generated += 1
                    // Compile a few of the mutants whose output differs from the original's.
                    guard compiled < 2 * Self.rounds * (index + 1), result.files != baseline else { continue }
                    compiled += 1
                    let outcome = try await SwiftCompiler.typecheck(result.files, module: "Mutant", extra: ["Rules.swift": Self.stubs(for: result.files)])
                    #expect(outcome.status == 0 && outcome.errors.isEmpty, "mutant compiles: \(outcome.errors)\n\(mutant)")
                } else {
                    failed += 1
                    for diagnostic in result.diagnostics where diagnostic.severity == .error {
                        #expect(diagnostic.location != nil && CompilerStyleLine.matches(diagnostic.headline), "\(diagnostic.description)\n\(mutant)")
                    }
                }
            }
        }
        // Both outcomes must occur, or the mutations are not testing anything.
        #expect(failed > 0 && generated > 0, "failed \(failed), generated \(generated)")
    }

    /// Empty Swift for every `apply: swift` requirement in generated files, as a user would write
    /// (an unwritten requirement is the user's error, not the generator's).
    static func stubs(for files: [GeneratedFile]) -> String {
        var text = "import Chronicle\n"
        for file in files {
            let lines = file.contents.split(separator: "\n").map(String.init)
            var aggregate: String?
            for line in lines {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("public protocol "), trimmed.hasSuffix("SwiftEvents {") {
                    aggregate = String(trimmed.dropFirst("public protocol ".count).dropLast("SwiftEvents {".count))
                } else if let name = aggregate, trimmed.hasPrefix("static func ") {
                    text += "extension \(name).State { public \(trimmed) {} }\n"
                } else if trimmed == "}" {
                    aggregate = nil
                }
            }
        }
        return text
    }

    /// The committed corpus: inputs that once found a problem, or show a bound. Each file's first
    /// line says what it must do: `# expect: compiles`, or `# expect: error` (then every error is
    /// located, and the first is at the place and says what the rest of that line gives).
    @Test(arguments: try FileManager.default.contentsOfDirectory(atPath: FuzzTests.packageRoot + "/Tests/ChronicleCodegenTests/Corpus").sorted())
    func corpus(file: String) async throws {
        let path = Self.packageRoot + "/Tests/ChronicleCodegenTests/Corpus/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expectation = text.prefix { $0 != "\n" }
        let result = Generator(moduleName: "Corpus").generate([SchemaSource(path: file, text: text)])
        if expectation == "# expect: compiles" {
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
            guard result.succeeded else { return }
            let outcome = try await SwiftCompiler.typecheck(result.files, module: "Corpus", extra: ["Rules.swift": Self.stubs(for: result.files)])
            #expect(outcome.isClean, "\(outcome.errors + outcome.warnings)")
        } else {
            let wanted = expectation.dropFirst("# expect: error ".count)
            #expect(expectation.hasPrefix("# expect: error "), "the first line says what the file must do")
            #expect(!result.succeeded)
            #expect(result.diagnostics.first.map { "\($0.headline)".hasPrefix(file + ":" + wanted) } == true, "\(result.diagnostics.map(\.description))")
            for diagnostic in result.diagnostics where diagnostic.severity == .error {
                #expect(CompilerStyleLine.matches(diagnostic.headline), "\(diagnostic)")
            }
        }
    }
}

/// Changes to schema text: removed, repeated, swapped, re-indented and cut lines; inserted YAML
/// punctuation; names replaced by other names of the schema, reserved names and keywords.
struct SchemaMutator {
    static let insertions = [":", "{", "}", "[", "]", ",", "&a ", "*a", "- ", "\t", "\"", "'", "#", "\n---\n", "~", "null", "? ", "!!str ", "|\n", "\u{1}", "é", "  "]
    static let names = ["self", "Type", "State", "Event", "Row", "Previous", "Void", "init", "default", "in", "Int", "String?", "[Int]", "Money", "Date", "UUID", "x", "Ünïcode", "", "true", "yes", "on", "0", "-1", "99999999999999999999", "1.5", "$position", "$nothing"]

    mutating func mutate(_ text: String, random: inout SeededRandom) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return text }
        let line = random.next(upperBound: lines.count)
        switch random.next(upperBound: 8) {
        case 0: lines.remove(at: line)
        case 1: lines.insert(lines[line], at: line)
        case 2 where line + 1 < lines.count: lines.swapAt(line, line + 1)
        case 3: lines[line] = random.next(upperBound: 2) == 0 ? "  " + lines[line] : String(lines[line].dropFirst(2))
        case 4:
            var characters = Array(lines[line])
            let at = random.next(upperBound: characters.count + 1)
            characters.insert(contentsOf: Self.insertions[random.next(upperBound: Self.insertions.count)], at: at)
            lines[line] = String(characters)
        case 5:
            let characters = Array(lines[line])
            guard !characters.isEmpty else { break }
            let from = random.next(upperBound: characters.count)
            let length = 1 + random.next(upperBound: min(8, characters.count - from))
            lines[line] = String(characters[..<from] + characters[(from + length)...])
        case 6:
            return String(text.prefix(random.next(upperBound: text.count + 1)))
        default:
            // A word replaced by another: a name of the schema, a reserved name or a keyword.
            let words = Self.words(in: lines[line])
            guard !words.isEmpty else { break }
            let target = words[random.next(upperBound: words.count)]
            let schemaWords = Self.words(in: text)
            let replacement = random.next(upperBound: 2) == 0 ? schemaWords[random.next(upperBound: schemaWords.count)] : Self.names[random.next(upperBound: Self.names.count)]
            if let range = lines[line].range(of: target) { lines[line].replaceSubrange(range, with: replacement) }
        }
        return lines.joined(separator: "\n")
    }

    static func words(in text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "$") }.map(String.init)
    }
}
