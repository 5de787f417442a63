/// One search hit: the label the vector was added under and its distance to the query.
public struct Neighbour: Sendable, Hashable {
    public let label: UInt64
    public let distance: Float

    public init(label: UInt64, distance: Float) {
        self.label = label
        self.distance = distance
    }
}
