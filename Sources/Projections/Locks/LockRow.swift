import Foundation

/// A lock as the read model holds it.
public struct LockRow: Sendable, Equatable {
    public let resource: String
    /// The grant as recorded; one past `expiresAt` shows until its expiry is recorded.
    public let grant: Grant?
    public let lastToken: Int64
    public let lastChange: String
    public let changedAt: Date
    public let streamVersion: Int64
    /// In arrival order (empty in listings).
    public var waiters: [Waiter] = []
    public var waiterCount: Int

    public struct Grant: Sendable, Equatable {
        public let holder: String
        public let token: Int64
        public let since: Date
        public let expiresAt: Date
    }

    public struct Waiter: Sendable, Equatable {
        public let waiterID: String
        public let owner: String
        public let ttlMilliseconds: Int64
        public let queuedAt: Date
        public let giveUpAt: Date
    }

    /// The grant in force at `now`.
    public func holder(at now: Date) -> Grant? {
        guard let grant, now < grant.expiresAt else { return nil }
        return grant
    }
}

/// The filters and page of a lock listing, by resource name.
public struct LockListFilter: Sendable {
    public var holder: String?
    /// nil: both; true: held at `now`; false: free at `now`.
    public var held: Bool?
    public var prefix: String?
    public var after: String?
    public var limit = 50
    public var now: Date

    public init(now: Date, limit: Int = 50) {
        self.now = now
        self.limit = limit
    }
}
