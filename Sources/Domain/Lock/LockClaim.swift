import Foundation

/// Who asks for a lock, how they will prove it later, and for how long.
public struct LockClaim: Sendable, Equatable {
    public var owner: String
    /// Hex SHA-256 of the caller's owner token.
    public var ownerTokenSHA256: String
    public var ttl: TimeInterval

    public init(owner: String, ownerTokenSHA256: String, ttl: TimeInterval) {
        self.owner = owner
        self.ownerTokenSHA256 = ownerTokenSHA256
        self.ttl = ttl
    }
}

/// How long an acquire may wait in the queue, under which queue entry id.
public struct LockWait: Sendable, Equatable {
    public var waiterID: String
    public var until: Date

    public init(waiterID: String, until: Date) {
        self.waiterID = waiterID
        self.until = until
    }
}
