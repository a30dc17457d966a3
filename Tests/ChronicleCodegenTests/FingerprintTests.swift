import ChronicleCodegen
import Testing

/// Fingerprints see every type a state or view stores, however deep, and an aggregate's
/// `revision`; they ignore comments.
@Suite("Fingerprints")
struct FingerprintTests {
    static let schema = """
        chronicle: 1
        types:
          Cents: { alias: Int }
          Kind: { enum: [single, double] }
          Rate: { struct: { amount: Cents, kind: Kind } }
          Offer: { struct: { rates: "[Rate]", note: String? } }
        aggregates:
          Room:
            doc: A room.
            state:
              offer: { type: Offer?, default: null }
            events:
              Offered: { fields: { offer: Offer }, apply: { set: { offer: offer } } }
        views:
          Offers:
            key: Room
            fields: { last: { type: Offer?, default: null } }
            on:
              Room.Offered: { set: { last: offer } }
        """

    /// The fingerprints in generated code, in order of appearance.
    static func fingerprints(_ yaml: String) -> [String] {
        let result = Generator(moduleName: "Hotel").generate([SchemaSource(path: "Hotel.chronicle.yaml", text: yaml)])
        #expect(result.succeeded, "\(result.diagnostics)")
        return result.files.flatMap { file in
            file.contents.split(separator: "\n").compactMap { line -> String? in
                guard let range = line.range(of: "static let fingerprint = \"") else { return nil }
                return String(line[range.upperBound...].prefix(16))
            }
        }
    }

    @Test(arguments: [
        ("a struct's field two levels down", "Rate: { struct: { amount: Cents, kind: Kind } }", "Rate: { struct: { amount: Cents, kind: Kind, tax: Int? } }"),
        ("an alias's underlying type", "Cents: { alias: Int }", "Cents: { alias: Int64 }"),
        ("an enum's cases", "Kind: { enum: [single, double] }", "Kind: { enum: [single, double, suite] }"),
        ("a field's optionality", "note: String?", "note: String"),
    ])
    func aTypeChangeChangesStateAndViewFingerprints(what: String, before: String, after: String) {
        let old = Self.fingerprints(Self.schema)
        let new = Self.fingerprints(Self.schema.replacingOccurrences(of: before, with: after))
        #expect(old.count == 3, "state, view, module")
        #expect(zip(old, new).allSatisfy { $0 != $1 }, "\(what): \(old) → \(new)")
    }

    @Test func revisionChangesOnlyItsAggregate() {
        let old = Self.fingerprints(Self.schema)
        let new = Self.fingerprints(Self.schema.replacingOccurrences(of: "    doc: A room.", with: "    doc: A room.\n    revision: 2"))
        #expect(old[0] != new[0])
        #expect(old[1] == new[1], "the view does not depend on how the state is built")
    }

    @Test func commentsDoNotChangeFingerprints() {
        let old = Self.fingerprints(Self.schema)
        #expect(Self.fingerprints(Self.schema.replacingOccurrences(of: "doc: A room.", with: "doc: A room with a view.")) == old)
    }

    @Test func revisionMustBeAWholeNumber() {
        let result = Generator(moduleName: "Hotel").generate([SchemaSource(path: "Hotel.chronicle.yaml", text: Self.schema.replacingOccurrences(of: "    doc: A room.", with: "    revision: two"))])
        #expect(result.diagnostics.map(\.headline) == ["Hotel.chronicle.yaml:9:15: error: 'revision' must be a whole number from 1"])
    }
}
