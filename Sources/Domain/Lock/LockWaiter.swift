import Foundation

/// A caller in a lock's queue: granted the lock in its turn, unless it gives up first.
public struct LockWaiter: Sendable, Equatable {
    public var id: String
    public var owner: String
    public var ownerTokenSHA256: String
    /// The time to live of the grant it will get.
    public var ttl: TimeInterval
    public var queuedAt: Date
    /// When it stops waiting; from then on it is skipped.
    public var giveUpAt: Date

    public init(id: String, owner: String, ownerTokenSHA256: String, ttl: TimeInterval, queuedAt: Date, giveUpAt: Date) {
        self.id = id
        self.owner = owner
        self.ownerTokenSHA256 = ownerTokenSHA256
        self.ttl = ttl
        self.queuedAt = queuedAt
        self.giveUpAt = giveUpAt
    }
}
