/// Which events of the log a reader wants. `nil` means no restriction.
public struct LogFilter: Sendable, Hashable {
    /// One tenant, or every tenant (for the system's own processes).
    public var tenant: String?
    /// Streams of this category only.
    public var category: String?
    /// Events of these types only.
    public var types: [String]?

    public init(tenant: String? = nil, category: String? = nil, types: [String]? = nil) {
        self.tenant = tenant
        self.category = category
        self.types = types
    }

    /// Every event of every tenant.
    public static let all = LogFilter()
}

/// The direction of a stream read.
public enum ReadDirection: Sendable {
    case forwards, backwards
}
