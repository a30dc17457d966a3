/// Why the command processor refused a command before its rules were asked. Nothing was recorded.
public enum CommandError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The command needs an existing aggregate, and there is none with that id.
    case aggregateNotFound(StreamID)
    /// A creating command found its aggregate already there.
    case aggregateAlreadyExists(StreamID)
    /// Events were recorded on an aggregate the command had not loaded.
    case aggregateNotLoaded(StreamID)
    /// The stream holds an event that is not one of the aggregate's.
    case foreignEvent(stream: StreamID, type: String)
    /// The command's metadata uses a key with the reserved `chronicle.` prefix, which only the
    /// runtime writes (reverts and their effect on views are recorded under it).
    case reservedMetadataKey(String)

    public var description: String {
        switch self {
        case .aggregateNotFound(let stream): return "no aggregate \(stream): it was never created"
        case .aggregateAlreadyExists(let stream): return "aggregate \(stream) already exists"
        case .aggregateNotLoaded(let stream): return "events recorded on \(stream), which the command did not load"
        case .foreignEvent(let stream, let type): return "stream \(stream) holds an event of type \(type), which is not one of its aggregate's"
        case .reservedMetadataKey(let key): return "metadata key '\(key)' is reserved: keys starting with 'chronicle.' are written by Chronicle only"
        }
    }
}
