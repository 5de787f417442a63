/// The seals so far: the last one's number and size.
public struct SealState: Sendable, Hashable {
    public let sequence: Int64
    public let treeSize: Int64

    public init(sequence: Int64, treeSize: Int64) {
        self.sequence = sequence
        self.treeSize = treeSize
    }
}
