/// What a worker staged (or a task committed): how many chunks, their highest ordinal,
/// their bytes, and the digest the success event carries.
public struct ChunkSummary: Sendable, Hashable {
    public let chunks: Int
    /// -1 when there are none.
    public let highestOrdinal: Int
    public let bytes: Int
    /// Hex SHA-256 over each chunk's SHA-256 (ordinal, offsets, text, metadata, vector) in
    /// ordinal order.
    public let digest: String

    /// Whether the ordinals run 0, 1, … without a gap.
    public var isContiguous: Bool { highestOrdinal == chunks - 1 }
}

/// A committed chunk as the search read model reads it.
public struct StoredChunk: Sendable, Hashable {
    public let ordinal: Int
    public let start: Int
    public let end: Int
    /// Half-precision components, as stored.
    public let vector: [Float]
}
