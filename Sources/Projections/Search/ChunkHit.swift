/// One chunk a search found: where it comes from and how close it is.
public struct ChunkHit: Sendable, Hashable {
    public let taskID: String
    public let ordinal: Int
    public let documentID: String
    public let commitID: String
    /// Byte offsets of the chunk's text in the commit's content.
    public let start: Int
    public let end: Int
    /// The index's distance (smaller is closer).
    public let distance: Float
}

/// An index version of a tenant, as the search read model keys it.
public struct VersionKey: Sendable, Hashable, Codable {
    public let tenant: String
    public let index: String
    public let version: Int

    public init(tenant: String, index: String, version: Int) {
        self.tenant = tenant
        self.index = index
        self.version = version
    }
}

/// An index of a tenant.
public struct IndexKey: Sendable, Hashable, Codable {
    public let tenant: String
    public let index: String

    public init(tenant: String, index: String) {
        self.tenant = tenant
        self.index = index
    }
}
