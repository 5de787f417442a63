import Foundation

/// The rules a lock command can break.
public enum LockError: Error, Equatable, Sendable {
    /// Someone else holds the lock until `until`.
    case heldByOther(holder: String, until: Date)
    /// `holder` does not hold the lock, so cannot release it.
    case notHolder(holder: String)
    /// The holder is empty or the lease is not a positive number of seconds.
    case invalidCommand(reason: String)
}
