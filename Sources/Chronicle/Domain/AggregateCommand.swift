/// A command on one aggregate, generated from a schema: what a caller asks for, and how the
/// aggregate decides which events record it.
public protocol AggregateCommand: Codable, Sendable {
    /// The state of the aggregate the command is for.
    associatedtype State: AggregateState
    /// The module's Swift business rules.
    associatedtype Rules: Sendable
    /// The rules the command can break; `Never` when it cannot fail.
    associatedtype Failure: Error

    /// The command's name, `Aggregate.Command`.
    static var commandName: String { get }
    /// Whether the command creates its aggregate (its stream must not exist yet).
    static var createsAggregate: Bool { get }
    /// The id of the aggregate the command is for.
    var id: State.ID { get }

    /// The events that record the command, decided on the aggregate's current state.
    /// - Throws: the broken rule; then nothing is recorded.
    func decide(_ state: State, rules: Rules) throws(Failure) -> [State.Event]
}
