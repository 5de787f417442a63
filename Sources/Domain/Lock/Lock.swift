import Foundation

/// A named lock, held by one holder at a time for a lease. Stream: `lock-<name>`.
public enum Lock: Decider {
    public typealias Command = LockCommand
    public typealias Event = LockEvent
    public typealias State = LockState

    public static let category = "lock"
    public static let maximumLease: TimeInterval = 86_400
    public static let initialState = LockState.free
}
