/// The committed part of one segment file.
public struct CommittedSegment: Hashable, Sendable {
    /// The file's path.
    public var path: String
    /// The file's name, `segment-00000001.log`.
    public var fileName: String
    /// The bytes from the start of the file that hold committed records (the header included).
    public var length: Int64
    /// Whether the writer has moved on to a later segment: this one never changes again.
    public var isSealed: Bool
}
