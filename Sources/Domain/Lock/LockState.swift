import Foundation

/// A lock: its current grant (which may have run out by time), the last fencing token
/// handed out, and its queue in arrival order.
public struct LockState: Sendable, Equatable {
    public var grant: LockGrant?
    public var lastToken: Int64 = 0
    public var waiters: [LockWaiter] = []
    /// Whether anything was ever recorded about the lock.
    public var isKnown = false

    public init(grant: LockGrant? = nil, lastToken: Int64 = 0, waiters: [LockWaiter] = [], isKnown: Bool = false) {
        self.grant = grant
        self.lastToken = lastToken
        self.waiters = waiters
        self.isKnown = isKnown
    }

    /// The grant in force at `now`: nil when free or run out.
    public func holder(at now: Date) -> LockGrant? {
        guard let grant, now < grant.expiresAt else { return nil }
        return grant
    }

    /// The waiters still waiting at `now`, in arrival order.
    public func waiting(at now: Date) -> [LockWaiter] {
        waiters.filter { $0.giveUpAt > now }
    }
}
