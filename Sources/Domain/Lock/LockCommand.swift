import Foundation

/// What a client asks of a lock. Time comes in on the command.
public enum LockCommand: Sendable, Equatable {
    /// Take the lock for `lease` seconds from `now`, or renew it if `holder` has it.
    case acquire(holder: String, lease: TimeInterval, now: Date)
    /// Give the lock back; only its current holder may.
    case release(holder: String, now: Date)
}
