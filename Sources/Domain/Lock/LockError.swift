import Foundation

/// The rules a lock command can break.
public enum LockError: Error, Equatable, Sendable {
    /// Someone else holds the lock until `until`.
    case held(owner: String, token: Int64, until: Date)
    /// The owner token is not the current holder's: the grant it proved was released,
    /// expired or taken.
    case notHolder
    /// A guarded write named fencing token `presented`, but the current grant is `current`
    /// (nil: nobody holds the lock).
    case staleToken(presented: Int64, current: Int64?)
    /// Nobody holds the lock (a forced release of a free lock).
    case notHeld
    /// Nothing was ever recorded about this lock.
    case unknown
    /// The queue holds `limit` waiters already.
    case queueFull(limit: Int)
    case invalid(field: String, reason: String)
}
