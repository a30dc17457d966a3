import ChronicleCodegen
import Testing

/// How schema files are read: within bounds, with exact places, scalars as text.
@Suite("Reading YAML")
struct YAMLReadingTests {
    static func diagnose(_ yaml: String) -> [String] {
        DiagnosticsTests.diagnose(yaml)
    }

    @Test func aliasBombIsRefusedAtTheAlias() {
        var yaml = "chronicle: 1\nlol0: &l0 [a, a, a, a, a, a, a, a, a, a]\n"
        for level in 1...9 {
            yaml += "lol\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let diagnostics = Self.diagnose(yaml)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostics.first?.hasPrefix("Shop.chronicle.yaml:7:") == true, "\(diagnostics)")
        #expect(diagnostics.first?.contains("error: alias '*l4' expands the document past 1000000 nodes") == true, "\(diagnostics)")
    }

    @Test func aliasesWithinBoundsAreRead() {
        let yaml = """
            chronicle: 1
            aggregates:
              Cart:
                state: { total: { type: Int, default: 0 } }
                events:
                  Added: { fields: &amount { price: Int }, apply: { add: { total: price } } }
                  Taken: { fields: *amount, apply: { subtract: { total: price } } }
            """
        #expect(Self.diagnose(yaml) == [])
    }

    @Test func unknownAliasIsAnError() {
        let yaml = "chronicle: 1\ntypes: *nothing\n"
        #expect(Self.diagnose(yaml) == [
            "Shop.chronicle.yaml:2:8: error: unknown alias '*nothing'\nShop.chronicle.yaml:2:8: note: an alias refers to an anchor '&nothing' written before it",
        ])
    }

    @Test func oversizedFileIsRefusedUpFront() {
        let yaml = "chronicle: 1\ndoc: \"" + String(repeating: "x", count: 16 << 20) + "\"\n"
        #expect(Self.diagnose(yaml) == ["Shop.chronicle.yaml:1:1: error: the schema file is \(yaml.utf8.count) bytes, more than the 16777216 bytes a schema may have"])
    }

    @Test func deepNestingIsRefused() {
        let yaml = "chronicle: 1\ndoc: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
        let diagnostics = Self.diagnose(yaml)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.hasPrefix("Shop.chronicle.yaml:2:105: error: the YAML nests deeper than 100 levels") == true, "\(diagnostics)")
    }

    @Test func secondDocumentIsRefused() {
        let yaml = DiagnosticsTests.valid + "\n---\nchronicle: 1\n"
        let diagnostics = Self.diagnose(yaml)
        #expect(diagnostics.first?.hasPrefix("Shop.chronicle.yaml:14:1: error: a schema file holds one YAML document") == true, "\(diagnostics)")
    }

    @Test func controlCharactersAreAnErrorAtTheirPlace() {
        #expect(Self.diagnose("chronicle: 1\ndoc: ab\u{1}") == ["Shop.chronicle.yaml:2:8: error: the schema file is not YAML text: control characters are not allowed"])
    }

    /// YAML 1.2: `on`, `off`, `yes` and `no` are text. They are enum cases here, and `creates`
    /// takes only `true` or `false`.
    @Test func scalarsAreTextAsInYAML12() {
        let yaml = """
            chronicle: 1
            types:
              Switch: { enum: [on, off, yes, no] }
            aggregates:
              Lamp:
                state: { position: { type: Switch, default: off } }
                events:
                  Turned: { fields: { to: Switch }, apply: { set: { position: to } } }
                commands:
                  Turn: { fields: { to: Switch }, emits: [Turned], creates: yes }
            """
        #expect(Self.diagnose(yaml) == ["Shop.chronicle.yaml:10:65: error: 'creates' is true or false"])
        #expect(Self.diagnose(yaml.replacingOccurrences(of: "creates: yes", with: "creates: true")) == [])
    }

    /// An unknown type in a state field is one mistake: the field's uses, the inverse of the
    /// events that set it and the views that mirror it are not reported again.
    @Test func oneMistakeOneError() {
        let yaml = """
            chronicle: 1
            types:
              Money: { alias: Int }
            aggregates:
              Room:
                state: { rate: { type: Mony, default: 0 } }
                events:
                  Repriced: { fields: { rate: Money }, apply: { set: { rate: rate } } }
                commands:
                  Reprice: { fields: { rate: Mony }, emits: [Repriced] }
            views:
              Rates:
                key: Room
                fields: { rate: { type: Money, default: 0 } }
                on:
                  Room.Repriced: { set: { rate: rate } }
              Cheapest:
                key: Rom
                fields: { rate: { type: Money, default: 0 } }
                on:
                  Room.Repriced: { set: { rate: rate } }
            """
        #expect(Self.diagnose(yaml) == [
            "Shop.chronicle.yaml:6:28: error: unknown type 'Mony'\nShop.chronicle.yaml:6:28: note: did you mean 'Money'?",
            "Shop.chronicle.yaml:10:34: error: unknown type 'Mony'\nShop.chronicle.yaml:10:34: note: did you mean 'Money'?",
            "Shop.chronicle.yaml:18:10: error: unknown aggregate 'Rom' as the key of Cheapest\nShop.chronicle.yaml:18:10: note: did you mean 'Room'?",
        ])
    }
}

extension YAMLReadingTests {
    /// A duplicate key does not stop the check: the other mistakes are reported with it.
    @Test func aDuplicateKeyAndAnotherMistakeAreBothReported() {
        let yaml = """
            chronicle: 1
            types:
              Money: { alias: Int }
              Money: { alias: Int64 }
            aggregates:
              Cart:
                state: { total: { type: Mony, default: 0 } }
                events:
                  Added: { fields: { price: Int } }
            """
        #expect(Self.diagnose(yaml).map { $0.split(separator: "\n")[0] } == [
            "Shop.chronicle.yaml:4:3: error: duplicate key 'Money'",
            "Shop.chronicle.yaml:7:29: error: unknown type 'Mony'",
        ])
    }
}
