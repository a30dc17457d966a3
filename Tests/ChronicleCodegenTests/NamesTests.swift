import ChronicleCodegen
import Foundation
import Testing

/// Every schema the checker accepts compiles: names Swift or the generated code would read as
/// something else are refused with an error at their place.
@Suite("Names")
struct NamesTests {
    static func headlines(_ yaml: String) -> [String] {
        Generator(moduleName: "Shop").generate([SchemaSource(path: "Shop.chronicle.yaml", text: yaml)]).diagnostics.map(\.headline)
    }

    @Test(arguments: ["self", "Self", "Type", "Protocol", "init", "deinit", "subscript", "super", "_"])
    func namesSwiftReservesForMembersAreRefused(name: String) {
        let field = Self.headlines("chronicle: 1\ntypes:\n  Box: { struct: { \(name): Int } }\n")
        #expect(field == ["Shop.chronicle.yaml:3:20: error: field name '\(name)' is a name Swift reserves for members"]
            || field == ["Shop.chronicle.yaml:3:20: error: field name '\(name)' must start with a lowercase letter and hold only letters and digits"], "\(field)")
        let enumCase = Self.headlines("chronicle: 1\ntypes:\n  Kind: { enum: [a, \(name)] }\n")
        #expect(enumCase == ["Shop.chronicle.yaml:3:21: error: enum case '\(name)' is a name Swift reserves for members"], "\(enumCase)")
    }

    @Test func fieldsThatWouldCollideWithGeneratedMembersAreRefused() {
        let yaml = """
            chronicle: 1
            aggregates:
              Cart:
                state: { hashValue: { type: Int, default: 0 } }
                events:
                  Added: { fields: { price: Int } }
                commands:
                  Add: { fields: { price: Int, context: Int }, emits: [Added], decide: swift }
            commands:
              Move:
                targets: { from: Cart, command: Cart }
                fields: { context: Int }
                emits: { from: [Added], command: [Added] }
                decide: swift
            """
        #expect(Self.headlines(yaml) == [
            "Shop.chronicle.yaml:4:14: error: field name 'hashValue' is taken by Hashable, which generated types conform to",
            "Shop.chronicle.yaml:8:36: error: command field name 'context' is taken by the generated call's CommandContext",
            "Shop.chronicle.yaml:11:28: error: target name 'command' is taken by the generated call",
            "Shop.chronicle.yaml:12:15: error: command field name 'context' is taken by the generated call",
        ])
    }

    @Test func structsThatContainThemselvesAreRefused() {
        let yaml = """
            chronicle: 1
            types:
              Node: { struct: { next: Link?, children: "[Node]" } }
              Link: { struct: { to: NodeAlias } }
              NodeAlias: { alias: Node }
              Loop: { struct: { again: Loop } }
            """
        #expect(Self.headlines(yaml) == [
            "Shop.chronicle.yaml:4:21: error: struct 'Node' contains itself (Node → Link → Node), so it has no finite size",
            "Shop.chronicle.yaml:6:21: error: struct 'Loop' contains itself (Loop → Loop), so it has no finite size",
        ])
        // A list of itself is fine: the list holds its elements elsewhere.
        #expect(Self.headlines("chronicle: 1\ntypes:\n  Tree: { struct: { children: \"[Tree]\", label: String } }\n") == [])
    }

    /// Every type name the generated code refers to — found by reading the code generated for
    /// a schema that uses every feature — is refused as the name of a type and of an event.
    @Test func everyNameTheGeneratedCodeUsesIsRefused() throws {
        let result = Generator(moduleName: "Zoo").generate([SchemaSource(path: "Zoo.chronicle.yaml", text: CompileTests.everyFeature)])
        #expect(result.succeeded)
        let declared = Self.declaredNames(in: CompileTests.everyFeature)
        var used = Set<String>()
        for file in result.files {
            for line in file.contents.split(separator: "\n") {
                used.formUnion(Self.capitalizedIdentifiers(inCode: String(line)))
            }
        }
        let generatedNames = used.filter { name in
            !declared.contains(name) && !name.hasPrefix("Zoo") && !name.hasSuffix("Error") && !name.hasSuffix("SwiftEvents") && !["Self", "Type"].contains(name)
        }
        #expect(generatedNames.count > 40, "\(generatedNames.sorted())")
        for name in generatedNames.sorted() {
            let asType = Self.headlines("chronicle: 1\ntypes:\n  \(name): { alias: Int }\n")
            #expect(asType.count == 1 && asType[0].contains("is taken by"), "type \(name): \(asType)")
            let asEvent = Self.headlines("chronicle: 1\naggregates:\n  Cart:\n    events:\n      \(name): { fields: { price: Int } }\n")
            #expect(asEvent.count == 1 && asEvent[0].contains("is taken by generated code"), "event \(name): \(asEvent)")
        }
    }

    /// The capitalized identifiers of a line of Swift, outside comments and string literals.
    static func capitalizedIdentifiers(inCode line: String) -> Set<String> {
        var code = line
        if let comment = code.range(of: "//") { code = String(code[..<comment.lowerBound]) }
        // An SPI group's name is no type: `@_spi(Generated)` means the same beside a type `Generated`.
        code = code.replacingOccurrences(of: "@_spi(Generated)", with: "")
        var result = Set<String>()
        var inString = false, escaped = false
        var word = ""
        func finish() {
            if let first = word.unicodeScalars.first, first.properties.isUppercase { result.insert(word) }
            word = ""
        }
        for character in code {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            if character == "\"" {
                finish()
                inString = true
            } else if character.isLetter || character.isNumber || character == "_" {
                if word.isEmpty, character.isNumber { continue }
                word.append(character)
            } else {
                finish()
            }
        }
        finish()
        return result
    }

    /// The capitalized names a schema declares (types, aggregates, events, commands, views).
    static func declaredNames(in yaml: String) -> Set<String> {
        var names = Set<String>()
        for line in yaml.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard let colon = trimmed.firstIndex(of: ":") else { continue }
            let key = String(trimmed[..<colon])
            if let first = key.unicodeScalars.first, first.properties.isUppercase, !key.contains(" ") { names.insert(key) }
        }
        return names
    }
}
