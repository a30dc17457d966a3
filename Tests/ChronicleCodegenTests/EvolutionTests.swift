import ChronicleCodegen
import Foundation
import TestSupport
import Testing

/// Evolving a schema: `version`, `upcast` and `formerly` are checked; the generated upcasts
/// compile (a forgotten Swift upcast does not); and the lock refuses breaking changes to the
/// Bank schema, with the place and a note on how to evolve instead, while compatible ones pass.
@Suite("Schema evolution")
struct EvolutionTests {
    static func diagnose(_ yaml: String) -> [String] {
        Generator(moduleName: "Shop").generate([SchemaSource(path: "Shop.chronicle.yaml", text: yaml)]).diagnostics.map(\.headline)
    }

    static func schema(_ events: String) -> String {
        """
        chronicle: 1
        types:
          Size: { enum: [small, large] }
        aggregates:
          Cart:
            state:
              total: { type: Int, default: 0 }
              size: { type: Size, default: small }
            events:
        \(events)
        """
    }

    @Test func aVersionNeedsAnUpcastFromEachEarlierOne() {
        #expect(Self.diagnose(Self.schema("""
                  Added: { version: 2, fields: { price: Int }, apply: { add: { total: price } } }
            """)) == ["Shop.chronicle.yaml:10:25: error: Added is at version 2 but says how to read none of its earlier versions"])
        #expect(Self.diagnose(Self.schema("""
                  Added: { fields: { price: Int }, apply: { add: { total: price } }, upcast: swift }
            """)) == ["Shop.chronicle.yaml:10:82: error: Added is at version 1, which has no earlier version to upcast from"])
        #expect(Self.diagnose(Self.schema("""
                  Added:
                    version: 3
                    fields: { price: Int }
                    apply: { add: { total: price } }
                    upcast: { 1: {}, 3: {} }
            """)) == [
                "Shop.chronicle.yaml:14:17: error: Added says nothing about reading version 2",
                "Shop.chronicle.yaml:14:26: error: an upcast from version 3, but Added is at version 3",
            ])
    }

    @Test func declarativeStepsNameFieldsAndValuesOfTheCurrentVersion() {
        let problems = Self.diagnose(Self.schema("""
                  Added:
                    version: 2
                    fields: { price: Int, size: Size }
                    apply: { add: { total: price }, set: { size: size } }
                    upcast:
                      1: { added: { prise: 0, size: "big" }, cases: { size: { huge: larg }, price: { a: b } }, renamed: { cost: prices } }
            """))
        #expect(problems == [
            "Shop.chronicle.yaml:15:25: error: the upcast from version 1 adds 'prise', which is not a field of version 2",
            "Shop.chronicle.yaml:15:41: error: the upcast from version 1, value of 'size': 'big' is not a case of Size",
            "Shop.chronicle.yaml:15:73: error: the upcast from version 1: 'larg' is not a case of Size",
            "Shop.chronicle.yaml:15:81: error: the upcast from version 1 maps the cases of 'price', which is Int, not an enum",
            "Shop.chronicle.yaml:15:117: error: the upcast from version 1 renames a field to 'prices', which is not a field of version 2",
        ])
    }

    @Test func formerNamesMustBeFree() {
        #expect(Self.diagnose(Self.schema("""
                  Added: { fields: { price: Int }, apply: { add: { total: price } }, formerly: [Removed] }
                  Removed: { fields: { price: Int }, apply: { subtract: { total: price } }, formerly: [Put] }
                  Taken: { fields: { price: Int }, apply: { subtract: { total: price } }, formerly: [Put, lower] }
            """)) == [
                "Shop.chronicle.yaml:10:85: error: 'Removed' is the name of an event of Cart today; a former name must be free",
                "Shop.chronicle.yaml:12:90: error: two events were formerly 'Put'",
                "Shop.chronicle.yaml:12:95: error: former name 'lower' must start with a capital letter and hold only letters and digits",
            ])
    }

    @Test func theProtocolsOfAnAggregateAreTakenNames() {
        let problems = Self.diagnose(Self.schema("""
                  Added: { fields: { price: Int }, apply: { add: { total: price } } }
            """).replacingOccurrences(of: "types:\n", with: "types:\n  CartUpcasts: { enum: [a] }\n  CartSwiftEvents: { enum: [b] }\n"))
        #expect(problems.contains { $0.contains("the name 'CartUpcasts' is taken by generated code") }, "\(problems)")
        #expect(problems.contains { $0.contains("the name 'CartSwiftEvents' is taken by generated code") }, "\(problems)")
    }

    /// Both kinds of upcast compile; the Swift one is a requirement the compiler enforces.
    @Test func upcastsCompileAndASwiftUpcastCannotBeForgotten() async throws {
        let schema = Self.schema("""
                  Added:
                    version: 3
                    formerly: [Put]
                    fields: { price: Int, size: Size, note: String? }
                    apply: { add: { total: price }, set: { size: size } }
                    upcast:
                      1: { renamed: { cost: price }, cases: { size: { big: large } } }
                      2: { added: { size: small, note: null }, removed: [legacy] }
                  Cleared: { version: 2, apply: { set: { total: 0 } }, upcast: swift }
            """)
        let result = Generator(moduleName: "Shop").generate([SchemaSource(path: "Shop.chronicle.yaml", text: schema)])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let upcast = """
            import Chronicle
            extension Cart.Event {
                public static func upcastCleared(_ stored: StoredPayload) throws -> Cart.Cleared { Cart.Cleared() }
            }
            """
        let compiled = try await SwiftCompiler.typecheck(result.files, module: "Shop", extra: ["Upcasts.swift": upcast])
        #expect(compiled.isClean, "\(compiled.output)")
        let forgotten = try await SwiftCompiler.typecheck(result.files, module: "Shop")
        #expect(!forgotten.isClean)
        #expect(forgotten.output.contains("does not conform to protocol 'CartUpcasts'"), "\(forgotten.output)")
    }
}

/// The lock check on the Bank schema.
extension EvolutionTests {
    static let bankFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schemas/Bank").path

    static func bank() throws -> (schema: String, lock: String) {
        (try String(contentsOfFile: bankFolder + "/Bank.chronicle.yaml", encoding: .utf8),
         try String(contentsOfFile: bankFolder + "/Bank.chronicle.lock", encoding: .utf8))
    }

    /// The Bank schema after `edits` (each must apply), checked against the committed lock.
    static func checkBank(_ edits: [(String, String)]) throws -> [String] {
        var (schema, lock) = try bank()
        for (old, new) in edits {
            #expect(schema.contains(old), "the edit '\(old)' does not apply")
            schema = schema.replacingOccurrences(of: old, with: new)
        }
        let source = SchemaSource(path: "Bank.chronicle.yaml", text: schema, lock: LockSource(path: "Bank.chronicle.lock", text: lock))
        return Generator(moduleName: "Bank").generate([source]).diagnostics.map(\.description)
    }

    /// The committed locks are current: a schema change that forgot its lock fails here.
    @Test(arguments: ["Schemas/Bank/Bank", "Tests/Loyalty/Loyalty"])
    func theCommittedLocksMatchTheirSchemas(path: String) throws {
        let root = URL(fileURLWithPath: Self.bankFolder).deletingLastPathComponent().deletingLastPathComponent().path + "/"
        let schema = try String(contentsOfFile: root + path + ".chronicle.yaml", encoding: .utf8)
        let lock = try String(contentsOfFile: root + path + ".chronicle.lock", encoding: .utf8)
        let module = URL(fileURLWithPath: path).lastPathComponent
        let result = Generator(moduleName: module).locks([SchemaSource(path: path + ".chronicle.yaml", text: schema, lock: LockSource(path: path + ".chronicle.lock", text: lock))])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.files.map(\.text) == [lock], "run: swift run chronicle lock \(path).chronicle.yaml")
    }

    @Test func breakingChangesAreRefusedWithTheirPlaceAndANote() throws {
        let problems = try Self.checkBank([
            // A field removed (message), one retyped (channel), one added as required (urgent).
            ("        fields: { message: String, channel: Channel }\n        upcast:\n          1: { added: { channel: letter } }",
             "        fields: { text: String, channel: String, urgent: Bool }\n        upcast:\n          1: { added: { channel: \"letter\" } }"),
            ("        fields: { message: String, channel: Channel }\n        emits: [MessageSent]", "        fields: { text: String, channel: String, urgent: Bool }\n        emits: [MessageSent]"),
            // An enum case renamed without a mapping: 'open' is gone from stored 'previous' values.
            ("AccountStatus: { enum: [open, closed]", "AccountStatus: { enum: [active, closed]"),
            ("status: { type: AccountStatus, default: open,", "status: { type: AccountStatus, default: active,"),
            ("apply: { set: { owner: owner, status: open } }", "apply: { set: { owner: owner, status: active } }"),
            ("Account.Opened: { set: { owner: owner, status: open } }", "Account.Opened: { set: { owner: owner, status: active } }"),
            // An event removed.
            ("      Closed:\n        doc: The account was closed; it takes no more postings.\n        apply: { set: { status: closed } }\n", ""),
            ("      Close:\n        doc: Closes an account whose balance is zero.\n        emits: [Closed]\n        errors: [balanceNotZero, accountClosed]\n        decide: swift\n", ""),
            ("      Account.Closed: { set: { status: closed } }\n", ""),
            ("      Account.Closed: { subtract: { openAccounts: 1 } }\n", ""),
            // The inverse pair broken up: both get generated inverses.
            ("        apply: { add: { balance: amount } }\n        inverse: Withdrawn", "        apply: { add: { balance: amount } }"),
            ("        apply: { subtract: { balance: amount } }\n        inverse: Deposited", "        apply: { subtract: { balance: amount } }"),
            // A former name dropped.
            ("        formerly: [Notified]\n", ""),
        ])
        let expected = [
            "Bank.chronicle.lock:4:5: error: event Account.Closed is in the lock but not in the schemas: logs that hold it could no longer be read",
            "error: Account.MessageSent loses field 'message' of the locked payload",
            "error: Account.MessageSent: 'channel' changed type from Channel to String",
            "error: Account.MessageSent has a new required field 'text'",
            "error: Account.MessageSent has a new required field 'urgent'",
            "error: Account.MessageSent no longer says it was Account.Notified",
            "error: Account.Opened: case 'open' of AccountStatus was removed ('previous.status' may hold it)",
            "error: the inverse of Account.Deposited was Withdrawn",
            "error: the inverse of Account.Withdrawn was Deposited",
        ]
        for message in expected {
            #expect(problems.contains { $0.contains(message) }, "missing: \(message) in \(problems)")
        }
        #expect(problems.count == expected.count, "\(problems)")
        // Each error names a line and column of the schema or the lock, and says how to evolve.
        for problem in problems {
            #expect(problem.range(of: #"^Bank\.chronicle\.(yaml|lock):\d+:\d+: error: "#, options: .regularExpression) != nil, "\(problem)")
            #expect(problem.contains(": note: "), "\(problem)")
        }
        #expect(problems.contains { $0.contains("'urgent'") && $0.contains("note: make it optional ('Bool?'), or raise 'version' to 3") })
    }

    @Test func aStructOrAnOptionalChangedInPlaceIsRefused() throws {
        let problems = try Self.checkBank([
            ("      at: Date\n      position: Int64", "      at: Date\n      position: Int64\n      memo: String"),
            ("      Opened:\n        doc: The account was opened for an owner.\n        fields: { owner: String }", "      Opened:\n        doc: The account was opened for an owner.\n        fields: { owner: String, branch: Entry? }"),
            ("        doc: Opens an account.\n        fields: { owner: String }", "        doc: Opens an account.\n        fields: { owner: String, branch: Entry? }"),
        ])
        #expect(problems.isEmpty, "an optional new field passes: \(problems)")
        let lock = try Self.bank().lock.replacingOccurrences(of: """
                "Account.Opened" : {
                  "fields" : {
            """, with: """
                "Account.Opened" : {
                  "fields" : {
                    "branch" : { "type" : "struct", "name" : "Entry", "optional" : true, "fields" : { "at" : { "type" : "Bool" } } },
            """)
        var schema = try Self.bank().schema
        schema = schema.replacingOccurrences(of: "fields: { owner: String }\n        apply: { set: { owner: owner, status: open } }", with: "fields: { owner: String, branch: Entry }\n        apply: { set: { owner: owner, status: open } }")
        schema = schema.replacingOccurrences(of: "        doc: Opens an account.\n        fields: { owner: String }", with: "        doc: Opens an account.\n        fields: { owner: String, branch: Entry }")
        let source = SchemaSource(path: "Bank.chronicle.yaml", text: schema, lock: LockSource(path: "Bank.chronicle.lock", text: lock))
        let changed = Generator(moduleName: "Bank").generate([source]).diagnostics.map(\.headline)
        #expect(changed.contains { $0.contains("Account.Opened: 'branch' was optional and is now required") }, "\(changed)")
        #expect(changed.contains { $0.contains("Account.Opened: 'branch.at' changed type from Bool to Date") }, "\(changed)")
        #expect(changed.contains { $0.contains("field 'kind' was added to Entry as required ('branch')") }, "\(changed)")
    }

    @Test func compatibleChangesPass() throws {
        let problems = try Self.checkBank([
            ("Channel: { enum: [letter, email]", "Channel: { enum: [letter, email, sms]"),
            ("        fields: { amount: Money }\n        apply: { add: { balance: amount } }", "        fields: { amount: Money, memo: String? }\n        apply: { add: { balance: amount } }"),
            ("        fields: { amount: Money }\n        apply: { subtract: { balance: amount } }", "        fields: { amount: Money, memo: String? }\n        apply: { subtract: { balance: amount } }"),
            ("doc: Money was paid in.", "doc: Money was paid into the account."),
            ("    commands:\n      Open:", "      Frozen:\n        doc: A new event.\n        irreversible: frozen is frozen\n    commands:\n      Open:"),
        ])
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func aRaisedVersionPassesWhenItsUpcastsCoverTheLockedPayload() throws {
        let renamed = """
                  Renamed:
                    doc: The account changed owner name.
                    fields: { owner: String }
            """.replacingOccurrences(of: "            ", with: "      ")
        let covered = try Self.checkBank([
            (renamed, "      Renamed:\n        doc: The account changed owner name.\n        version: 2\n        fields: { holder: String, reason: String }\n        upcast: { 1: { renamed: { owner: holder }, added: { reason: \"unknown\" } } }"),
            ("apply: { set: { owner: owner } }\n      Closed", "apply: { set: { owner: holder } }\n      Closed"),
            ("        fields: { owner: String }\n        emits: [Renamed]", "        fields: { holder: String, reason: String }\n        emits: [Renamed]"),
            ("      Account.Renamed: { set: { owner: owner } }", "      Account.Renamed: { set: { owner: holder } }"),
        ])
        #expect(covered.isEmpty, "\(covered)")
        let uncovered = try Self.checkBank([
            (renamed, "      Renamed:\n        doc: The account changed owner name.\n        version: 2\n        fields: { holder: String, reason: String }\n        upcast: { 1: { added: { reason: \"unknown\" } } }"),
            ("apply: { set: { owner: owner } }\n      Closed", "apply: { set: { owner: holder } }\n      Closed"),
            ("        fields: { owner: String }\n        emits: [Renamed]", "        fields: { holder: String, reason: String }\n        emits: [Renamed]"),
            ("      Account.Renamed: { set: { owner: owner } }", "      Account.Renamed: { set: { owner: holder } }"),
        ]).map { $0.split(separator: "\n").map(String.init) }.flatMap { $0 }
        #expect(uncovered.contains { $0.contains("error: Account.Renamed, upcast from the locked version 1, loses field 'owner'") }, "\(uncovered)")
        #expect(uncovered.contains { $0.contains("note: add 'removed: [owner]' or 'renamed: { owner: NEW }' to an upcast from version 1") }, "\(uncovered)")
        #expect(uncovered.contains { $0.contains("error: Account.Renamed, upcast from the locked version 1, has a new required field 'holder'") }, "\(uncovered)")
        let lowered = try Self.checkBank([("        version: 2\n        fields: { message: String, channel: Channel }", "        fields: { message: String, channel: Channel }"),
                                          ("        upcast:\n          1: { added: { channel: letter } }\n", "")])
        #expect(lowered.contains { $0.contains("error: Account.MessageSent is at version 1, below the locked version 2") }, "\(lowered)")
    }

    @Test func theLockJobWritesChecksAndForces() throws {
        let folder = try TemporaryFolder()
        let (schema, _) = try Self.bank()
        let path = folder.path + "/Bank.chronicle.yaml"
        try schema.write(toFile: path, atomically: true, encoding: .utf8)
        let missing = LockJob(module: "Bank", schemas: [path], checkOnly: true).run()
        #expect(!missing.succeeded)
        #expect(missing.messages.first?.contains("error: the schema has no lock") == true)
        let written = LockJob(module: "Bank", schemas: [path]).run()
        #expect(written.succeeded && written.changed == [folder.path + "/Bank.chronicle.lock"])
        #expect(try String(contentsOfFile: folder.path + "/Bank.chronicle.lock", encoding: .utf8) == (try Self.bank().lock))
        #expect(LockJob(module: "Bank", schemas: [path]).run().changed.isEmpty)
        #expect(LockJob(module: "Bank", schemas: [path], checkOnly: true).run().succeeded)

        // A breaking change is refused and the lock stays; --force writes it.
        try schema.replacingOccurrences(of: "Channel: { enum: [letter, email]", with: "Channel: { enum: [email]")
            .replacingOccurrences(of: "added: { channel: letter }", with: "added: { channel: email }")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let refused = LockJob(module: "Bank", schemas: [path]).run()
        #expect(!refused.succeeded && refused.changed.isEmpty)
        #expect(refused.messages.contains { $0.contains("case 'letter' of Channel was removed") })
        #expect(try String(contentsOfFile: folder.path + "/Bank.chronicle.lock", encoding: .utf8) == (try Self.bank().lock))
        let forced = LockJob(module: "Bank", schemas: [path], force: true).run()
        #expect(forced.succeeded && forced.changed.count == 1)

        // A damaged lock is an error at its path, for the build as for the lock job.
        try "{ not json".write(toFile: folder.path + "/Bank.chronicle.lock", atomically: true, encoding: .utf8)
        let damaged = GenerationJob(module: "Bank", output: folder.path + "/out", schemas: [path]).run()
        #expect(!damaged.succeeded)
        #expect(damaged.messages.contains { $0.hasPrefix(folder.path + "/Bank.chronicle.lock:1:1: error: cannot read the lock file: not valid JSON") }, "\(damaged.messages)")
    }
}
