import Foundation

/// What a client asks of a lock. Time and ids come in on the command.
public enum LockCommand: Sendable, Equatable {
    /// Take the lock; renew it when `claim` is the holder's (same owner, same owner token);
    /// with `wait`, join the queue when someone else holds it.
    case acquire(LockClaim, now: Date, wait: LockWait? = nil)
    /// Extend the holder's grant to `ttl` from `now`.
    case renew(ownerTokenSHA256: String, ttl: TimeInterval, now: Date)
    /// Give the lock back; only the holder (by its owner token) may.
    case release(ownerTokenSHA256: String, now: Date)
    /// An administrator takes the lock from its holder.
    case forceRelease(by: String, reason: String, now: Date)
    /// Record that the grant ran out, if it has by `now` (the expiry reactor, or a waiter).
    case expire(now: Date)
    /// A waiter stops waiting.
    case leaveQueue(waiterID: String, now: Date)
}
