import Foundation

/// What happened to a lock.
public enum LockEvent: Sendable, Equatable {
    /// `holder` has the lock until `expiresAt` (taken or renewed at `at`).
    case acquired(holder: String, at: Date, expiresAt: Date)
    /// `holder` gave the lock back at `at`.
    case released(holder: String, at: Date)
}
