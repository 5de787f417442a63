import Foundation

/// One grant of a lock: who holds it, with which fencing token, until when.
public struct LockGrant: Sendable, Equatable {
    /// Greater than every earlier grant's token of the same resource.
    public var token: Int64
    public var owner: String
    /// Hex SHA-256 of the owner token the holder proves itself with.
    public var ownerTokenSHA256: String
    public var since: Date
    public var expiresAt: Date
    /// The queue entry the grant went to; nil for an acquire that did not wait.
    public var waiterID: String?

    public init(token: Int64, owner: String, ownerTokenSHA256: String, since: Date, expiresAt: Date, waiterID: String? = nil) {
        self.token = token
        self.owner = owner
        self.ownerTokenSHA256 = ownerTokenSHA256
        self.since = since
        self.expiresAt = expiresAt
        self.waiterID = waiterID
    }
}
