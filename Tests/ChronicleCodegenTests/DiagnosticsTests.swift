import ChronicleCodegen
import Testing

/// Schema mistakes come back as `path:line:column: error: message`, all at once.
@Suite("Schema diagnostics")
struct DiagnosticsTests {
    static func diagnose(_ yaml: String, file: String = "Shop.chronicle.yaml") -> [String] {
        Generator(moduleName: "Shop").generate([SchemaSource(path: file, text: yaml)]).diagnostics.map(\.description)
    }

    static let valid = """
        chronicle: 1
        types:
          Money: { alias: Int }
        aggregates:
          Cart:
            state:
              total: { type: Money, default: 0 }
              owner: String
            events:
              Added: { fields: { price: Money }, apply: { add: { total: price } } }
              Claimed: { fields: { owner: String }, apply: { set: { owner: owner } } }
            commands:
              Add: { fields: { price: Money }, emits: [Added] }
        """

    @Test func validSchemaHasNoDiagnostics() {
        let result = Generator(moduleName: "Shop").generate([SchemaSource(path: "Shop.chronicle.yaml", text: Self.valid)])
        #expect(result.diagnostics.isEmpty)
        #expect(result.files.map(\.name) == ["Shop.chronicle.swift", "Shop.chronicle-module.swift"])
    }

    @Test func yamlSyntaxError() {
        let yaml = """
            chronicle: 1
            aggregates:
              Cart:
                state: { total: Int
            """
        #expect(Self.diagnose(yaml) == [
            "Shop.chronicle.yaml:5:1: error: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping)",
        ])
    }

    @Test func unknownType() {
        let yaml = Self.valid.replacingOccurrences(of: "total: { type: Money, default: 0 }", with: "total: { type: Mony, default: 0 }")
        #expect(Self.diagnose(yaml) == [
            "Shop.chronicle.yaml:7:22: error: unknown type 'Mony'\nShop.chronicle.yaml:7:22: note: did you mean 'Money'?",
        ])
    }

    @Test func viewHandlingAnUnknownEvent() {
        let yaml = Self.valid + """

            views:
              Totals:
                fields: { sum: Money }
                on:
                  Cart.Add: { add: { sum: price } }
            """
        #expect(Self.diagnose(yaml) == [
            "Shop.chronicle.yaml:18:7: error: unknown event 'Cart.Add' in view Totals\nShop.chronicle.yaml:18:7: note: did you mean 'Cart.Added'?",
        ])
    }

    @Test func addOnANonNumericField() {
        let yaml = Self.valid.replacingOccurrences(of: "apply: { set: { owner: owner } }", with: "apply: { add: { owner: owner } }")
        #expect(Self.diagnose(yaml) == [
            "Shop.chronicle.yaml:11:61: error: 'add' needs a number, but 'owner' is String\nShop.chronicle.yaml:11:61: note: use 'set' for other types",
        ])
    }

    @Test func missingInverse() {
        // A view keeps a value its event does not put in the aggregate's state: the view's
        // previous value is unknown, so the event has no derivable inverse.
        let yaml = Self.valid.replacingOccurrences(of: "Claimed: { fields: { owner: String }, apply: { set: { owner: owner } } }",
                                                   with: "Claimed: { fields: { owner: String, note: String }, apply: { set: { owner: owner } } }") + """

            views:
              Carts:
                key: Cart
                fields: { note: String }
                on:
                  Cart.Claimed: { set: { note: note } }
            """
        #expect(Self.diagnose(yaml) == [
            "Shop.chronicle.yaml:19:30: error: the inverse of Cart.Claimed cannot be derived for view Carts: the previous value of 'note' is unknown\n"
                + "Shop.chronicle.yaml:19:30: note: set an aggregate state field from the same value in the event's 'apply' (its previous value is then captured), or mark the event 'irreversible: <reason>'",
        ])
        // Saying why the event cannot be undone is accepted.
        let irreversible = yaml.replacingOccurrences(of: "apply: { set: { owner: owner } } }", with: "apply: { set: { owner: owner } }, irreversible: notes are not kept }")
        #expect(Self.diagnose(irreversible) == [])
    }

    @Test func namedInverseThatDoesNotUndo() {
        let yaml = Self.valid.replacingOccurrences(of: "apply: { add: { total: price } } }", with: "apply: { add: { total: price } }, inverse: Claimed }")
        #expect(Self.diagnose(yaml) == [
            "Shop.chronicle.yaml:10:85: error: Claimed does not undo Added: their fields differ (Added: price: Money; Claimed: owner: String)\nShop.chronicle.yaml:10:85: note: leave 'inverse' out to get a generated Added.Reverted",
        ])
    }

    @Test func duplicateNames() {
        let yaml = Self.valid + """

            views:
              Cart:
                fields: { sum: Money }
            """
        #expect(Self.diagnose(yaml) == [
            "Shop.chronicle.yaml:15:3: error: duplicate name 'Cart'\nShop.chronicle.yaml:5:3: note: first declared here",
            "Shop.chronicle.yaml:15:3: warning: view Cart handles no events",
        ])
        let sameKey = Self.valid.replacingOccurrences(of: "      Claimed:", with: "      Added:")
        #expect(Self.diagnose(sameKey) == [
            // At the duplicate, with a note at the first.
            "Shop.chronicle.yaml:11:7: error: duplicate key 'Added'\nShop.chronicle.yaml:10:7: note: 'Added' is first written here",
        ])
    }

    @Test func namesTakenByGeneratedCodeAreRefused() {
        let yaml = Self.valid + "\nviews:\n  ShopApp:\n    fields: { sum: Money }\n    on:\n      Cart.Added: { add: { sum: price } }"
        #expect(Self.diagnose(yaml) == ["Shop.chronicle.yaml:15:3: error: the name 'ShopApp' is taken by generated code"])
    }

    @Test func everyProblemAtOnce() {
        let yaml = """
            chronicle: 1
            aggregates:
              Cart:
                state: { total: Mony, items: Int }
                events:
                  Added: { fields: { price: Int }, apply: { add: { totl: price } }, inverse: Removd }
                commands:
                  Add: { fields: { price: Int }, emits: [Aded] }
            """
        #expect(Self.diagnose(yaml) == [
            "Shop.chronicle.yaml:4:21: error: unknown type 'Mony'\nShop.chronicle.yaml:4:21: note: declare it under 'types', or use String, Int, Int64, Double, Bool, UUID, Date",
            "Shop.chronicle.yaml:6:56: error: unknown field 'totl' in the state of Cart\nShop.chronicle.yaml:6:56: note: did you mean 'total'?",
            "Shop.chronicle.yaml:6:82: error: unknown inverse event 'Removd' in Cart\nShop.chronicle.yaml:6:82: note: leave 'inverse' out to get a generated Added.Reverted",
            "Shop.chronicle.yaml:8:46: error: unknown event 'Aded' in Cart\nShop.chronicle.yaml:8:46: note: did you mean 'Added'?",
        ])
    }

    @Test func neverCrashesOnOddInput() {
        let inputs = ["", "[]", "chronicle: 1\naggregates: [1, 2]", "chronicle: 2", "chronicle: 1\ntypes:\n  X: 3",
                      "chronicle: 1\naggregates:\n  A:\n    events:\n      E: { apply: { set: 5 } }", "- - -", "chronicle: 1\nviews:\n  V: { key: 3, on: [1] }",
                      "chronicle: 1\ntypes: { A: { alias: B }, B: { alias: A } }", "\u{0}\u{1}"]
        for input in inputs {
            let result = Generator(moduleName: "Shop").generate([SchemaSource(path: "x.yaml", text: input)])
            #expect(!result.succeeded || result.diagnostics.isEmpty, "input: \(input)")
        }
    }
}
