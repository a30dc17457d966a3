/// Compares a module's schemas with their locks and reports, as errors at the schema's places,
/// the changes that would make existing logs unreadable or change their meaning:
///
/// - an event removed, or renamed without `formerly`, or a former name dropped;
/// - at the same version: a field removed or retyped, a field added as required, an optional
///   made required, an enum case removed, a struct's field changed in any of these ways;
/// - a version raised with declarative upcasts that do not turn the locked payload into the
///   current one (the same rules, applied to the upcast result);
/// - a version lowered;
/// - how an event is undone: a generated inverse dropped (stored `.Reverted` events could not
///   be read), a named inverse changed, an irreversible event made reversible.
///
/// Compatible changes pass: a new event, a new optional field, a new enum case, docs, a raised
/// version with upcasts that cover it. An `upcast: swift` is trusted.
struct LockCheck {
    private(set) var diagnostics = Diagnostics()
    let module: Module

    init(module: Module) {
        self.module = module
    }

    mutating func check(_ lock: SchemaLock, path: String, text: String) {
        for storedName in lock.events.keys.sorted() {
            guard let locked = lock.events[storedName] else { continue }
            let lockPlace = Self.location(of: storedName, in: text, path: path)
            guard let event = currentEvent(storedAs: storedName) else {
                let short = storedName.split(separator: ".").last.map(String.init) ?? storedName
                diagnostics.error("event \(storedName) is in the lock but not in the schemas: logs that hold it could no longer be read", at: lockPlace,
                                  hint: "keep the event (a command that no longer emits it costs nothing); if it was renamed, say 'formerly: [\(short)]' on its new name")
                continue
            }
            let place = event.location ?? lockPlace
            let former = Set(event.formerNames.map { "\(event.aggregate).\($0)" })
            for name in locked.formerly ?? [] where name != event.typeName && !former.contains(name) {
                let short = name.split(separator: ".").last.map(String.init) ?? name
                diagnostics.error("\(event.typeName) no longer says it was \(name): events stored under that name could no longer be read", at: place,
                                  hint: "keep '\(short)' in its 'formerly'")
            }
            checkVersion(event, locked, storedName: storedName, place: place)
            checkInverse(event, locked, storedName: storedName, place: place)
        }
    }

    /// The event stored as `storedName`: by its name now or a former one.
    func currentEvent(storedAs storedName: String) -> Event? {
        for aggregate in module.aggregates {
            for event in aggregate.events where event.typeName == storedName || event.formerNames.contains(where: { "\(aggregate.name).\($0)" == storedName }) {
                return event
            }
        }
        return nil
    }

    // MARK: Payloads

    mutating func checkVersion(_ event: Event, _ locked: LockedEvent, storedName: String, place: SourceLocation) {
        guard let aggregate = module.aggregate(named: event.aggregate) else { return }
        let current = SchemaLock.payloadShape(of: event, in: aggregate, module: module)
        if event.version < locked.version {
            diagnostics.error("\(event.typeName) is at version \(event.version), below the locked version \(locked.version): logs hold payloads of version \(locked.version)",
                              at: event.versionLocation ?? place, hint: "versions only go up")
            return
        }
        if event.version == locked.version {
            compare(locked.fields, current, event: event, fromVersion: nil, place: place)
            return
        }
        switch event.upcast {
        case .swift, .none:
            // A Swift upcast is trusted: the compiler checks it returns the current event.
            return
        case .steps(let steps):
            var fields = locked.fields
            for step in steps.sorted(by: { $0.from < $1.from }) where step.from >= locked.version && step.from < event.version {
                Self.apply(step, to: &fields, current: current)
            }
            compare(fields, current, event: event, fromVersion: locked.version, place: place)
        }
    }

    /// What a declarative step does to a payload's shape.
    static func apply(_ step: UpcastStep, to fields: inout [String: TypeShape], current: [String: TypeShape]) {
        let order: (UpcastStep.Change) -> Int = {
            switch $0 {
            case .removed: return 0
            case .renamed: return 1
            case .added: return 2
            case .cases: return 3
            }
        }
        for change in step.changes.sorted(by: { order($0) < order($1) }) {
            switch change {
            case .removed(let field):
                fields[field] = nil
            case .renamed(let old, let new):
                if let shape = fields.removeValue(forKey: old) { fields[new] = shape }
            case .added(let field, _, _):
                if fields[field] == nil {
                    // The value is given: the field is there, of the type it has now.
                    var shape = current[field] ?? TypeShape(type: "unknown")
                    shape.optional = nil
                    fields[field] = shape
                }
            case .cases(let path, let mapping):
                let names = path.split(separator: ".").map(String.init)
                let renames = Dictionary(mapping.map { ($0.from, $0.to) }, uniquingKeysWith: { first, _ in first })
                Self.renameCases(at: names[...], in: &fields, renames)
            }
        }
    }

    static func renameCases(at path: ArraySlice<String>, in fields: inout [String: TypeShape], _ renames: [String: String]) {
        guard let name = path.first, var shape = fields[name] else { return }
        if path.count > 1 {
            var members = shape.fields ?? [:]
            renameCases(at: path.dropFirst(), in: &members, renames)
            shape.fields = members
        } else {
            func mapped(_ shape: TypeShape) -> TypeShape {
                var shape = shape
                if let cases = shape.cases {
                    var seen = Set<String>()
                    shape.cases = cases.map { renames[$0] ?? $0 }.filter { seen.insert($0).inserted }
                }
                if let element = shape.element { shape.element = mapped(element) }
                return shape
            }
            shape = mapped(shape)
        }
        fields[name] = shape
    }

    /// Compares the locked payload (or what the upcasts make of it) with the current one.
    mutating func compare(_ old: [String: TypeShape], _ new: [String: TypeShape], event: Event, fromVersion: Int?, place: SourceLocation) {
        let next = event.version + 1
        let evolve = fromVersion == nil
            ? "or raise 'version' to \(next) and add an upcast from version \(event.version)"
            : "or change the upcasts from version \(fromVersion ?? 0) so that they produce it"
        let subject = fromVersion.map { "\(event.typeName), upcast from the locked version \($0)," } ?? event.typeName
        for name in old.keys.sorted() {
            guard let before = old[name] else { continue }
            guard let after = new[name] else {
                let how = name == "previous"
                    ? "the values an event captures change with the fields its 'apply' sets; keep them, or read old payloads with 'upcast: swift'"
                    : fromVersion == nil
                        ? "keep the field, or raise 'version' to \(next) and add an upcast from version \(event.version) that says 'removed: [\(name)]' or 'renamed: { \(name): NEW }'"
                        : "add 'removed: [\(name)]' or 'renamed: { \(name): NEW }' to an upcast from version \(fromVersion ?? 0)"
                diagnostics.error("\(subject) loses field '\(name)' of the locked payload: logs hold payloads with it", at: place, hint: how)
                continue
            }
            for problem in Self.differences(before, after, path: name) {
                diagnostics.error("\(subject): \(problem)", at: event.fieldLocations[name] ?? place,
                                  hint: "a stored payload would no longer read as it did; keep the type, \(evolve)")
            }
        }
        for name in new.keys.sorted() where old[name] == nil {
            guard let after = new[name], !after.isOptional else { continue }
            let how = fromVersion == nil
                ? "make it optional ('\(after.spelled)?'), or raise 'version' to \(next) and add 'upcast: { \(event.version): { added: { \(name): VALUE } } }'"
                : "give old payloads a value with 'added: { \(name): VALUE }' in an upcast from version \(fromVersion ?? 0)"
            diagnostics.error("\(subject) has a new required field '\(name)': payloads stored before have no value for it", at: event.fieldLocations[name] ?? place, hint: how)
        }
    }

    /// How `new` fails to read what `old` described, one sentence each.
    static func differences(_ old: TypeShape, _ new: TypeShape, path: String) -> [String] {
        var problems: [String] = []
        if old.isOptional && !new.isOptional {
            problems.append("'\(path)' was optional and is now required")
        }
        let widening: Set<[String]> = [["Int", "Int64"], ["Int64", "Int"], ["Int", "Double"], ["Int64", "Double"]]
        guard old.type == new.type || widening.contains([old.type, new.type]) else {
            problems.append("'\(path)' changed type from \(old.spelled) to \(new.spelled)")
            return problems
        }
        if let cases = old.cases {
            let kept = Set(new.cases ?? [])
            for gone in cases where !kept.contains(gone) {
                problems.append("case '\(gone)' of \(old.name ?? "the enum") was removed ('\(path)' may hold it)")
            }
        }
        if old.type == "struct", let before = old.fields, let after = new.fields {
            for name in before.keys.sorted() {
                guard let member = before[name] else { continue }
                guard let now = after[name] else {
                    problems.append("field '\(name)' was removed from \(old.name ?? "the struct") ('\(path)')")
                    continue
                }
                problems += differences(member, now, path: "\(path).\(name)")
            }
            for name in after.keys.sorted() where before[name] == nil && !(after[name]?.isOptional ?? true) {
                problems.append("field '\(name)' was added to \(new.name ?? "the struct") as required ('\(path)')")
            }
        }
        if let element = old.element, let now = new.element {
            problems += differences(element, now, path: "\(path)[]")
        }
        return problems
    }

    // MARK: Inverses

    mutating func checkInverse(_ event: Event, _ locked: LockedEvent, storedName: String, place: SourceLocation) {
        let now = SchemaLock.inverseKind(event)
        let generated: Set<String> = ["generated", "swift"]
        guard locked.inverse != now, !(generated.contains(locked.inverse) && generated.contains(now)) else { return }
        let force = "if no log holds such events yet, accept the change with 'chronicle lock --force'"
        if generated.contains(locked.inverse) {
            diagnostics.error("\(event.typeName) no longer has a generated inverse: \(storedName).Reverted events in logs could no longer be read", at: place,
                              hint: "keep the generated inverse (leave out 'inverse' and 'irreversible'); \(force)")
        } else if locked.inverse.hasPrefix("named:") {
            let other = locked.inverse.dropFirst("named:".count)
            diagnostics.error("the inverse of \(event.typeName) was \(other): reverts in logs undid it with \(other), and would mean something else now", at: place,
                              hint: "keep 'inverse: \(other)'; \(force)")
        } else {
            diagnostics.error("\(event.typeName) was irreversible: making it reversible lets a revert undo what logs record as permanent", at: place,
                              hint: "keep 'irreversible'; \(force)")
        }
    }

    // MARK: Places

    /// Where a lock file names an event: the line of its key.
    static func location(of storedName: String, in text: String, path: String) -> SourceLocation {
        let key = "\"\(storedName)\""
        var line = 1
        for row in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let range = row.range(of: key), row[range.upperBound...].drop(while: { $0 == " " }).first == ":" {
                return SourceLocation(file: path, line: line, column: row.distance(from: row.startIndex, to: range.lowerBound) + 1)
            }
            line += 1
        }
        return SourceLocation(file: path, line: 1, column: 1)
    }
}
