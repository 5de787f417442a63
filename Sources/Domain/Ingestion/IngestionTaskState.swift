import Foundation

/// An ingestion task as its events left it.
public struct IngestionTaskState: Sendable, Equatable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case queued, claimed, succeeded
        case deadLettered = "dead_lettered"
    }

    public var key: IngestionTaskKey?
    public var targets: [IngestionTarget] = []
    public var contentSize = 0
    public var maxAttempts = IngestionTask.defaultAttempts
    public var status: Status = .queued
    /// Claims since it was queued (or requeued).
    public var attempts = 0
    public var lastToken: Int64 = 0
    public var claim: IngestionClaim?
    /// Not claimable before this (after a failure).
    public var retryAt: Date?
    public var lastError: String?
    public var chunks = 0
    public var parts = 0
    public var result: IngestionResult?

    public init() {}

    /// Whether anything was ever recorded about the task.
    public var isKnown: Bool { key != nil }

    /// The claim in force at `now`: nil when nobody holds the task or the lease ran out.
    public func holder(at now: Date) -> IngestionClaim? {
        guard status == .claimed, let claim, now < claim.leaseExpiresAt else { return nil }
        return claim
    }
}
