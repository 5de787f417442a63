import Foundation

/// An ingestion task as the read model holds it.
public struct IngestionTaskRow: Sendable, Equatable {
    public let taskID: String
    public let index: String
    public let version: Int
    public let contentSHA256: String
    public let contentSize: Int
    /// `queued`, `claimed`, `succeeded` or `dead_lettered`.
    public let status: String
    public let attempts: Int
    public let maxAttempts: Int
    public let worker: String?
    public let fencingToken: Int64?
    public let leaseExpiresAt: Date?
    public let retryAt: Date?
    public let chunks: Int
    public let parts: Int
    public let targets: Int
    public let firstDocument: String
    public let firstCommit: String
    public let lastError: String?
    public let queuedAt: Date
    public let changedAt: Date
    public let streamVersion: Int64
}

/// How a version's tasks stand: counts by state and the chunks the succeeded ones committed.
public struct VersionBuildProgress: Sendable, Equatable {
    public var queued = 0
    public var claimed = 0
    public var succeeded = 0
    public var deadLettered = 0
    public var chunks = 0

    public init() {}

    public var total: Int { queued + claimed + succeeded + deadLettered }
}

/// Which tasks a listing wants.
public struct IngestionTaskFilter: Sendable {
    public var index: String?
    public var version: Int?
    public var status: String?
    /// Tasks after this id (the previous page's last).
    public var after: String?
    public var limit: Int

    public init(index: String? = nil, version: Int? = nil, status: String? = nil, after: String? = nil, limit: Int = 100) {
        self.index = index
        self.version = version
        self.status = status
        self.after = after
        self.limit = limit
    }
}
