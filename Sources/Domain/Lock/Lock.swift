import Foundation

/// A named, tenant-scoped resource held by one owner at a time for a time to live, with a
/// fencing token that grows with every grant and a FIFO queue of waiters (docs/locks.md).
/// Stream: `lock-<resource>`.
public enum Lock: Decider {
    public typealias Command = LockCommand
    public typealias Event = LockEvent
    public typealias State = LockState

    public static let category = "lock"
    /// The longest time to live of a grant.
    public static let maximumTTL: TimeInterval = 86_400
    /// The longest a caller may wait in the queue.
    public static let maximumWait: TimeInterval = 30
    /// The most waiters one lock queues.
    public static let maximumWaiters = 256
    /// The longest owner name, in characters.
    public static let maximumOwnerLength = 200
    /// The longest reason of a forced release, in characters.
    public static let maximumReasonLength = 1_000
    public static let initialState = LockState()

    /// The stream of the lock on `resource`.
    public static func stream(_ resource: String) -> String { "\(category)-\(resource)" }
}
