import Domain

/// Exact (brute-force) nearest-neighbour search: the oracle an approximate index's recall is
/// measured against. Not safe to share while adding.
public struct ExactIndex: Sendable {
    public let metric: VectorMetric
    public let dimension: Int
    private var labels: [UInt64] = []
    private var components: [Float] = []

    public init(metric: VectorMetric, dimension: Int) {
        self.metric = metric
        self.dimension = dimension
    }

    /// Vectors added.
    public var count: Int { labels.count }

    /// Adds `vector` under `label` (labels are not checked for repeats).
    public mutating func add(_ vector: [Float], label: UInt64) {
        precondition(vector.count == dimension, "dimension mismatch")
        labels.append(label)
        components.append(contentsOf: metric.prepared(vector))
    }

    /// The `k` nearest vectors to `query`, nearest first; ties by smaller label.
    public func search(_ query: [Float], k: Int) -> [Neighbour] {
        precondition(query.count == dimension, "dimension mismatch")
        let prepared = metric.prepared(query)
        var all: [Neighbour] = []
        all.reserveCapacity(labels.count)
        prepared.withUnsafeBufferPointer { q in
            components.withUnsafeBufferPointer { stored in
                for (i, label) in labels.enumerated() {
                    let vector = UnsafeBufferPointer(rebasing: stored[(i * dimension)..<((i + 1) * dimension)])
                    all.append(Neighbour(label: label, distance: metric.distance(q, vector)))
                }
            }
        }
        return Array(all.sorted { ($0.distance, $0.label) < ($1.distance, $1.label) }.prefix(k))
    }
}
