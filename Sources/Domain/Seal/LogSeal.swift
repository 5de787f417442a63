/// The log's seals: signed heads of a Merkle tree over every event's hash (docs/seals.md).
/// One stream, `seal-log` of the system tenant; seal n is its version n.
public enum LogSeal: Decider {
    public typealias Command = SealCommand
    public typealias Event = SealEvent
    public typealias State = SealState

    public static let category = "seal"
    /// The one stream of seals.
    public static let stream = "seal-log"
    public static let initialState = SealState(sequence: 0, treeSize: 0)

    public static func decide(_ command: SealCommand, _ state: SealState) throws -> [SealEvent] {
        switch command {
        case .record(let seal):
            guard seal.sequence == state.sequence + 1 else {
                throw SealError.outOfOrder(expected: state.sequence + 1, got: seal.sequence)
            }
            guard seal.treeSize > state.treeSize else {
                throw SealError.notGrowing(previous: state.treeSize, got: seal.treeSize)
            }
            return [.sealed(seal)]
        }
    }

    public static func evolve(_ state: SealState, _ event: SealEvent) -> SealState {
        switch event {
        case .sealed(let seal): SealState(sequence: seal.sequence, treeSize: seal.treeSize)
        }
    }
}
