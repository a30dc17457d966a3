import Chronicle
import ChronicleTesting
import Foundation
import Loyalty
import TestSupport
import Testing

/// The laws of time travel on a second domain, one that uses every feature of the language:
/// every operation, every envelope value in views, an event applied in Swift, named and
/// generated inverses, an irreversible event, a command across two aggregates, keyed views and
/// a view with a single row, lists in both.
///
/// For seeded random histories over several days, and a random point T:
/// - walking back to T equals replaying to T, for every aggregate and every view;
/// - `revert(since: T)` leaves every aggregate and view as it was as of T, or is refused with
///   the irreversible events in the range and appends nothing;
/// - views kept up to date through reverts equal views rebuilt from zero;
/// - reverting the revert (a redo) restores every aggregate and view exactly;
/// - reverting a random set of chosen events either equals the same history without them, or
///   reports conflicts and appends nothing; and its redo restores everything exactly.
///
/// Half the histories begin with events stored by version 1 of the schema (`Joined` with a
/// first and last name, `Promoted` to `bronze`, an inverse of a version 1 `Promoted`, `Tagged`
/// under its former name `Labelled`, and its inverse), written as that version wrote them: the
/// laws hold across versions, and reverts of renamed events find their way to views.
@Suite("Revert laws on a second domain")
struct LoyaltyLawTests {
    struct World {
        let clock = ManualWallClock()
        let store: InMemoryEventStore
        let app: LoyaltyApp
        var members: [Member.ID] = []
        var shops: [Shop.ID] = []
        var random: SeededRandom

        init(seed: UInt64) async throws {
            store = InMemoryEventStore(clock: clock)
            app = try await LoyaltyApp.open(store: store, viewsFolder: nil, rules: LoyaltyRulebook(), projection: .inline,
                                            options: CommandProcessorOptions(snapshotInterval: 0))
            random = SeededRandom(seed: seed)
        }

        /// Appends what version 1 of the schema stored for three members, as it stored it.
        mutating func writeVersion1History() async throws {
            func event(_ type: String, _ json: String) -> ProposedEvent {
                ProposedEvent(type: type, schemaVersion: 1, payload: Array(json.utf8), actor: "legacy")
            }
            for index in 0..<3 {
                let id = Member.ID("m\(index)")
                let promoted = #"{"tier":"gold","by":"ops","previous":{"tier":"bronze"}}"#
                var events = [
                    event("Member.Joined", #"{"first":"Old","last":"Member \#(index)","previous":{"name":"","tier":"basic"}}"#),
                    event("Member.Promoted", #"{"tier":"bronze","by":"ops","previous":{"tier":"basic"}}"#),
                    event("Member.Promoted", promoted),
                ]
                if index != 1 { events.append(event("Member.Promoted.Reverted", #"{"original":\#(promoted)}"#)) }
                // Tagged was called Labelled; its generated inverse was Labelled.Reverted.
                events.append(event("Member.Labelled", #"{"tag":"red"}"#))
                if index == 2 { events.append(event("Member.Labelled.Reverted", #"{"original":{"tag":"red"}}"#)) }
                clock.advance(by: 3_600)
                _ = try await store.append(AppendBatch(stream: Member.State.stream(for: id), expectedVersion: .noStream, events: events))
                members.append(id)
            }
        }

        func context() -> CommandContext {
            CommandContext(actor: ["alice", "bob", nil][Int(clock.now().timeIntervalSince1970) % 3])
        }

        /// Random commands over simulated days, with now and then a revert of the recent past
        /// or of chosen events.
        mutating func live(steps: Int) async throws {
            for _ in 0..<steps {
                clock.advance(by: Double(random.next(upperBound: 14_400)))
                if members.isEmpty || random.next(upperBound: 9) == 0 {
                    let id = Member.ID("m\(members.count)")
                    try await app.commands.join(member: id, name: "Name \(random.next(upperBound: 4))", context: context())
                    members.append(id)
                    continue
                }
                if shops.isEmpty || random.next(upperBound: 25) == 0 {
                    let id = Shop.ID(shops.count + 1)
                    try await app.commands.open(shop: id, title: "Shop \(id)", context: context())
                    shops.append(id)
                    continue
                }
                let id = members[random.next(upperBound: members.count)]
                let tags = ["red", "green", "blue"]
                switch random.next(upperBound: 24) {
                case 0..<6: _ = try await app.commands.earn(member: id, points: random.next(upperBound: 500) + 1, context: context())
                case 6..<9: _ = try? await app.commands.spend(member: id, points: random.next(upperBound: 300) + 1, context: context())
                case 9: _ = try await app.commands.promote(member: id, tier: [.basic, .silver, .gold][random.next(upperBound: 3)], context: context())
                case 10..<12: _ = try await app.commands.tag(member: id, tag: tags[random.next(upperBound: 3)], context: context())
                case 12: _ = try await app.commands.untag(member: id, tag: tags[random.next(upperBound: 3)], context: context())
                case 13: _ = try await app.commands.rename(member: id, name: "Name \(random.next(upperBound: 4))", context: context())
                case 14: _ = try? await app.commands.doublePoints(member: id, context: context())
                case 15: if random.next(upperBound: 3) == 0 { _ = try await app.commands.mail(member: id, text: "Hello", context: context()) }
                case 16..<19:
                    let shop = shops[random.next(upperBound: shops.count)]
                    _ = try? await app.commands.redeem(member: id, shop: shop, item: ["mug", "pen", "cap"][random.next(upperBound: 3)],
                                                      points: random.next(upperBound: 200) + 1, context: context())
                case 19:
                    // An earlier revert of the last hours; refused when a letter was mailed since.
                    let since = clock.now().addingTimeInterval(-Double(random.next(upperBound: 30_000)))
                    _ = try? await app.revert(since: since, reason: "earlier correction", actor: "ops")
                case 20:
                    // An earlier selective revert (or redo), refused on conflicts.
                    let recent = try await store.readAll(from: .max, direction: .backward, limit: 6)
                    if !recent.isEmpty {
                        let chosen = recent[random.next(upperBound: recent.count)]
                        _ = try? await app.revert(events: [chosen.id], reason: "earlier undo", actor: "ops")
                    }
                default: _ = try await app.commands.earn(member: id, points: 7, context: context())
                }
            }
        }

        func states(asOf position: Int64? = nil, path: AsOfPath? = nil) async throws -> States {
            var result = States()
            let processor = app.commands.processor
            for id in members {
                if let position {
                    result.members[id] = try await processor.state(Member.State.self, id: id, asOf: position, path: path).state
                } else {
                    result.members[id] = try await processor.load(Member.State.self, id: id).state
                }
            }
            for id in shops {
                if let position {
                    result.shops[id] = try await processor.state(Shop.State.self, id: id, asOf: position, path: path).state
                } else {
                    result.shops[id] = try await processor.load(Shop.State.self, id: id).state
                }
            }
            return result
        }

        func currentViews() -> LoyaltyViews {
            LoyaltyViews(memberCard: app.queries.memberCard, scheme: app.queries.scheme, shopBoard: app.queries.shopBoard)
        }
    }

    struct States: Equatable {
        var members: [Member.ID: Member.State] = [:]
        var shops: [Shop.ID: Shop.State] = [:]
    }

    /// Every aggregate and view as the log makes them, leaving out the events in `skipped`:
    /// the history in which those events never happened.
    static func fold(_ log: [RecordedEvent], skipping skipped: Set<UUID>, members: [Member.ID], shops: [Shop.ID]) throws -> (States, LoyaltyViews) {
        var states = States()
        for id in members { states.members[id] = Member.State() }
        for id in shops { states.shops[id] = Shop.State() }
        var views = LoyaltyViews(memberCard: MemberCard(), scheme: Scheme(), shopBoard: ShopBoard())
        for recorded in log where !skipped.contains(recorded.id) {
            switch try LoyaltyEvent.decode(recorded) {
            case .member(let id, let event)?: try states.members[id, default: Member.State()].apply(event)
            case .shop(let id, let event)?: try states.shops[id, default: Shop.State()].apply(event)
            case nil: break
            }
            try views.memberCard.project(recorded)
            try views.scheme.project(recorded)
            try views.shopBoard.project(recorded)
        }
        return (states, views)
    }

    @Test("revert(since:) == as-of, walk-back == replay, redo restores, selective reverts exact or refused", arguments: 0..<400)
    func laws(seed: UInt64) async throws {
        var world = try await World(seed: seed)
        if seed % 2 == 0 {
            try await world.writeVersion1History()
            try await world.app.queries.views.catchUp()
            #expect(try await world.app.member(Member.ID("m1")) == Member.State(name: "Old Member 1", points: 0, tier: .gold, tags: ["red"], doublings: 0), "seed \(seed): version 1 events upcast")
            #expect(try await world.app.member(Member.ID("m2"))?.tags == [], "seed \(seed): a stored inverse under a former name undoes")
        }
        try await world.live(steps: 30 + Int(seed % 50))
        let app = world.app, store = world.store
        let end = try await store.lastPosition()
        let log = try await store.readAll(from: 1, direction: .forward, limit: .max)

        // A point in time, after the last irreversible event when the random one is before it.
        var target = Int64(world.random.next(upperBound: Int(end) + 1))
        let lastMailed = log.last { $0.type == "Member.Mailed" }?.position ?? 0
        if target < lastMailed {
            await #expect(throws: RevertError.self, "seed \(seed): a letter mailed after T stops the revert") {
                try await app.timeMachine.revert(since: target, reason: "law")
            }
            #expect(try await store.lastPosition() == end, "seed \(seed): a refused revert appends nothing")
            target = lastMailed
        }

        // As of the target: walking back and replaying agree, for aggregates and every view.
        let asOf = try await world.states(asOf: target, path: .replay)
        #expect(try await world.states(asOf: target, path: .walkBack) == asOf, "seed \(seed): aggregates as of \(target)")
        let viewsAsOf = try await app.queries.asOf(target)
        #expect(try await app.queries.memberCard(asOf: target, path: .walkBack) == viewsAsOf.memberCard, "seed \(seed): cards walked back")
        #expect(try await app.queries.memberCard(asOf: target, path: .replay) == viewsAsOf.memberCard, "seed \(seed): cards replayed")
        #expect(try await app.queries.scheme(asOf: target, path: .walkBack) == viewsAsOf.scheme, "seed \(seed): scheme walked back")
        #expect(try await app.queries.scheme(asOf: target, path: .replay) == viewsAsOf.scheme, "seed \(seed): scheme replayed")
        #expect(try await app.queries.shopBoard(asOf: target, path: .walkBack) == viewsAsOf.shopBoard, "seed \(seed): shops walked back")

        // revert(since: T): every aggregate and view as of T.
        let before = try await world.states()
        let viewsBefore = world.currentViews()
        let outcome = try await app.timeMachine.revert(since: target, reason: "law", actor: "tester")
        try await app.queries.views.catchUp()
        #expect(try await world.states() == asOf, "seed \(seed): aggregates after revert since \(target)")
        #expect(world.currentViews() == viewsAsOf, "seed \(seed): views after revert since \(target)")

        // Views kept through reverts equal views rebuilt from zero.
        let rebuilt = try LoyaltyQueries(store: store, folder: nil)
        try await rebuilt.views.catchUp()
        #expect(LoyaltyViews(memberCard: rebuilt.memberCard, scheme: rebuilt.scheme, shopBoard: rebuilt.shopBoard) == world.currentViews(),
                "seed \(seed): views equal a rebuild")

        // A redo restores everything exactly, envelope values in views included.
        if let positions = outcome.positions {
            let batch = try await store.readAll(from: positions.lowerBound, direction: .forward, limit: outcome.plan.steps.count)
            _ = try await app.revert(events: batch.map(\.id), reason: "redo")
            #expect(try await world.states() == before, "seed \(seed): aggregates after redo")
            #expect(world.currentViews() == viewsBefore, "seed \(seed): views after redo")
        }

        // Selective revert of random chosen events: exact, or refused with conflicts.
        try await checkSelectiveRevert(&world, seed: seed)
    }

    /// Chooses a few events in effect, reverts them, and checks the outcome against the
    /// history without them; then redoes and checks the state before.
    func checkSelectiveRevert(_ world: inout World, seed: UInt64) async throws {
        let app = world.app, store = world.store
        let log = try await store.readAll(from: 1, direction: .forward, limit: .max)
        // Events that stand for a change in place: in each revert chain (an event, its revert,
        // a redo, ...), the members of the same direction as the last one.
        var chains: [UUID: [UUID]] = [:]
        var rootOf: [UUID: UUID] = [:]
        for event in log {
            guard let reverted = event.metadata["chronicle.reverts"].flatMap(UUID.init(uuidString:)) else { continue }
            let root = rootOf[reverted] ?? reverted
            rootOf[event.id] = root
            chains[root, default: [root]].append(event.id)
        }
        var undone = Set<UUID>()
        for chain in chains.values {
            for (index, id) in chain.enumerated() where (chain.count - 1 - index) % 2 == 1 { undone.insert(id) }
        }
        let candidates = log.filter { !undone.contains($0.id) && $0.type != "Member.Mailed" }
        guard !candidates.isEmpty else { return }
        var chosen: [RecordedEvent] = []
        // Mostly recent events, which later events have had less chance to conflict with.
        for _ in 0..<(1 + world.random.next(upperBound: 3)) {
            let recent = world.random.next(upperBound: 4) > 0
            let pick = candidates[recent ? max(0, candidates.count - 1 - world.random.next(upperBound: 6)) : world.random.next(upperBound: candidates.count)]
            if !chosen.contains(where: { $0.id == pick.id }) { chosen.append(pick) }
        }
        let end = try await store.lastPosition()
        let before = try await world.states()
        let viewsBefore = world.currentViews()
        do {
            let outcome = try await app.revert(events: chosen.map(\.id), reason: "selective", actor: "auditor")
            // The history without the chosen events and whatever reverted or redid them after
            // them (the later members of their revert chains).
            var skipped = Set(chosen.map(\.id))
            for event in chosen {
                guard let chain = chains[rootOf[event.id] ?? event.id], let index = chain.firstIndex(of: event.id) else { continue }
                skipped.formUnion(chain[(index + 1)...])
            }
            let (expected, expectedViews) = try Self.fold(log, skipping: skipped, members: world.members, shops: world.shops)
            #expect(try await world.states() == expected, "seed \(seed): aggregates equal the history without \(chosen.map(\.type))")
            #expect(world.currentViews() == expectedViews, "seed \(seed): views equal the history without \(chosen.map(\.type))")
            guard let positions = outcome.positions else { return }
            let batch = try await store.readAll(from: positions.lowerBound, direction: .forward, limit: outcome.plan.steps.count)
            _ = try await app.revert(events: batch.map(\.id), reason: "redo selective")
            let redone = try await world.states()
            #expect(redone == before, "seed \(seed): aggregates after redoing \(chosen.map(\.type))")
            #expect(world.currentViews() == viewsBefore, "seed \(seed): views after redoing \(chosen.map(\.type))")
        } catch RevertError.conflicts(let conflicts) {
            #expect(!conflicts.isEmpty)
            #expect(try await store.lastPosition() == end, "seed \(seed): a refused selective revert appends nothing")
        } catch RevertError.sameChangeTwice(let first, let second) {
            #expect(chosen.contains { $0.id == first } && chosen.contains { $0.id == second })
            #expect(try await store.lastPosition() == end, "seed \(seed): a refused selective revert appends nothing")
        }
    }
}
