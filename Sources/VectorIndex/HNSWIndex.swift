import CHNSW
import Domain

/// An approximate-nearest-neighbour index (hnswlib's HNSW graph) of float32 vectors.
///
/// Safe to share: searches run side by side, while adding and deleting take the index
/// alone (the C target keeps readers and writer apart). Deleting only hides a vector; its
/// memory stays until the index is built again.
public final class HNSWIndex: @unchecked Sendable {
    public let metric: VectorMetric
    public let dimension: Int
    private let handle: OpaquePointer

    /// An empty index with room for `capacity` vectors (it grows when full).
    /// - Throws: ``VectorIndexError`` (`.library`) when the library cannot allocate it.
    public init(metric: VectorMetric, dimension: Int, parameters: HNSWParameters = .init(), capacity: Int = 1_024) throws {
        precondition(dimension > 0, "dimension must be positive")
        let handle = try Self.call { error, size in
            hnsw_new(metric.space, dimension, max(capacity, 16), parameters.m, parameters.efConstruction,
                     parameters.efSearch, parameters.seed, error, size)
        }
        self.metric = metric
        self.dimension = dimension
        self.handle = handle
    }

    private init(metric: VectorMetric, dimension: Int, handle: OpaquePointer) {
        self.metric = metric
        self.dimension = dimension
        self.handle = handle
    }

    deinit { hnsw_free(handle) }

    /// The index saved at `path` by ``save(to:)``, built with `seed`.
    /// - Throws: ``VectorIndexError`` (`.library`) when the file is missing, unreadable or of
    ///   another dimension.
    public static func load(from path: String, metric: VectorMetric, dimension: Int, efSearch: Int, seed: Int = 100)
        throws -> HNSWIndex
    {
        let handle = try call { error, size in hnsw_load(path, metric.space, dimension, efSearch, seed, error, size) }
        return HNSWIndex(metric: metric, dimension: dimension, handle: handle)
    }

    /// Writes the index to `path` (searches may go on meanwhile).
    public func save(to path: String) throws {
        try Self.check { error, size in hnsw_save(handle, path, error, size) }
    }

    /// Adds `vector` under `label`, replacing the vector a label already present had.
    /// - Throws: ``VectorIndexError`` when the vector has the wrong dimension or a
    ///   component that is not finite, or the library fails.
    public func add(_ vector: [Float], label: UInt64) throws {
        try validate(vector)
        let stored = metric.prepared(vector)
        try stored.withUnsafeBufferPointer { buffer in
            try Self.check { error, size in hnsw_add(handle, buffer.baseAddress, label, error, size) }
        }
    }

    /// Hides `label` from every later search.
    /// - Throws: ``VectorIndexError`` (`.unknownLabel`) when it is not in the index or
    ///   already hidden.
    public func markDeleted(_ label: UInt64) throws {
        do {
            try Self.check { error, size in hnsw_mark_deleted(handle, label, error, size) }
        } catch {
            throw VectorIndexError(.unknownLabel(label), detail: error.detail)
        }
    }

    /// Shows `label` to searches again after ``markDeleted(_:)``.
    /// - Throws: ``VectorIndexError`` (`.unknownLabel`) when it is not in the index or not hidden.
    public func unmarkDeleted(_ label: UInt64) throws {
        do {
            try Self.check { error, size in hnsw_unmark_deleted(handle, label, error, size) }
        } catch {
            throw VectorIndexError(.unknownLabel(label), detail: error.detail)
        }
    }

    /// Sets how many candidates a search keeps (`ef`; at least `k` is always used).
    public func setEfSearch(_ ef: Int) { hnsw_set_ef(handle, max(ef, 1)) }

    /// The `k` (or fewer) nearest vectors to `query`, nearest first.
    /// - Throws: ``VectorIndexError`` when the query has the wrong dimension or a
    ///   component that is not finite.
    public func search(_ query: [Float], k: Int) throws -> [Neighbour] {
        try validate(query)
        guard k > 0 else { return [] }
        let prepared = metric.prepared(query)
        var labels = [UInt64](repeating: 0, count: k)
        var distances = [Float](repeating: 0, count: k)
        let found = try prepared.withUnsafeBufferPointer { query in
            try Self.call { error, size -> Int? in
                let count = hnsw_search(handle, query.baseAddress, k, &labels, &distances, error, size)
                return count < 0 ? nil : count
            }
        }
        return (0..<found).map { Neighbour(label: labels[$0], distance: distances[$0]) }
    }

    /// Vectors added, hidden ones included.
    public var count: Int { hnsw_count(handle) }
    /// Vectors hidden by ``markDeleted(_:)``.
    public var deletedCount: Int { hnsw_deleted_count(handle) }
    /// Bytes the graph and its vectors take in memory (an estimate from the library's layout).
    public var memoryBytes: Int { hnsw_memory_bytes(handle) }

    private func validate(_ vector: [Float]) throws {
        guard vector.count == dimension else {
            throw VectorIndexError(.dimensionMismatch(expected: dimension, got: vector.count))
        }
        guard vector.allSatisfy(\.isFinite) else { throw VectorIndexError(.notFinite) }
    }
}

extension HNSWIndex {
    /// Runs a C call that returns a value or nil, turning nil into the error it wrote.
    fileprivate static func call<T>(_ body: (UnsafeMutablePointer<CChar>, Int) -> T?) throws -> T {
        var message = [CChar](repeating: 0, count: 512)
        let result = message.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        guard let result else {
            let detail = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw VectorIndexError(.library, detail: detail)
        }
        return result
    }

    /// Runs a C call that returns 0 on success and -1 after writing its error.
    fileprivate static func check(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws(VectorIndexError) {
        do {
            _ = try call { error, size -> Bool? in body(error, size) == 0 ? true : nil }
        } catch let error as VectorIndexError {
            throw error
        } catch {
            throw VectorIndexError(.library, detail: "\(error)")
        }
    }
}

extension VectorMetric {
    fileprivate var space: hnsw_space {
        switch self {
        case .l2: HNSW_SPACE_L2
        case .innerProduct, .cosine: HNSW_SPACE_INNER_PRODUCT
        }
    }
}
