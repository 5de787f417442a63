import Foundation

/// What happened to a lock.
public enum LockEvent: Sendable, Equatable {
    /// The lock was granted (to a caller, or handed to the first waiter).
    case acquired(LockGrant)
    /// The holder extended its grant to `expiresAt`.
    case renewed(token: Int64, owner: String, at: Date, expiresAt: Date)
    /// The holder gave the lock back.
    case released(token: Int64, owner: String, at: Date)
    /// An administrator took the lock from its holder.
    case forceReleased(token: Int64, owner: String, by: String, reason: String, at: Date)
    /// The grant ran out at `at`.
    case expired(token: Int64, owner: String, at: Date)
    /// A caller joined the queue.
    case queued(LockWaiter)
    /// A waiter left the queue without the lock.
    case leftQueue(waiterID: String, owner: String, at: Date)
}
