import Foundation

/// A change of a breaker's phase, with the figures that caused it.
public enum BreakerTransition: Sendable, Equatable {
    /// Closed or half-open → open until `until`.
    case tripped(BreakerTrip)
    /// Open → half-open: the cooldown ended and a probe slot was asked for.
    case halfOpened(at: Date)
    /// A probe slot was taken by request `requestID`.
    case probeClaimed(requestID: String, at: Date)
    /// Half-open → closed: every probe succeeded.
    case recovered(probes: Int, at: Date)
}

/// Why and for how long a breaker opened.
public struct BreakerTrip: Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable {
        /// The window's failure rate reached the policy's bound.
        case failureRate = "failure_rate"
        /// An error that means the channel cannot work (the outcome is in the trip).
        case fatalError = "fatal_error"
        /// A probe of the half-open breaker failed.
        case probeFailed = "probe_failed"
    }

    public var reason: Reason
    /// The window's calls and failures when it tripped (after the outcome that tripped it).
    public var calls: Int
    public var failures: Int
    /// The outcome that tripped it.
    public var requestID: String
    public var status: Int
    public var errorType: String
    /// Trips in a row, this one included.
    public var tripsInARow: Int
    public var cooldown: TimeInterval
    public var at: Date
    public var until: Date

    public init(reason: Reason, calls: Int, failures: Int, requestID: String, status: Int, errorType: String, tripsInARow: Int,
                cooldown: TimeInterval, at: Date, until: Date) {
        self.reason = reason
        self.calls = calls
        self.failures = failures
        self.requestID = requestID
        self.status = status
        self.errorType = errorType
        self.tripsInARow = tripsInARow
        self.cooldown = cooldown
        self.at = at
        self.until = until
    }

    /// failures / calls, 0 without calls.
    public var failureRate: Double { calls == 0 ? 0 : Double(failures) / Double(calls) }
}
