import Foundation

/// One circuit breaker (a channel's, or a channel's for one model): closed, it counts calls
/// in its window and trips open when the failure rate crosses its policy's bound with enough
/// calls, or at once on a fatal error; open, it lets nothing through until its cooldown
/// ends; half-open, it lets exactly `probes` calls through, closing when all succeed and
/// opening again (for twice as long) when one fails. A pure value: the channel's decider
/// asks it what outcomes cause (``transitions(after:now:policy:)``) and folds what it decided.
public struct CircuitBreaker: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case closed
        /// Nothing goes through until `until`.
        case open(until: Date)
        /// Probe calls go through: the slots claimed (request id → when), and how many succeeded.
        case halfOpen(claims: [String: Date], succeeded: Int)
    }

    public internal(set) var phase: Phase = .closed
    /// The calls counted while closed (emptied by every transition).
    public internal(set) var window = OutcomeWindow()
    /// Trips since it last closed: each doubles the next cooldown.
    public internal(set) var tripsInARow = 0

    public init() {}

    /// Whether its cooldown has ended at `now`, so that a probe slot may be claimed.
    public func allowsProbe(now: Date, policy: BreakerPolicy) -> Bool {
        switch phase {
        case .closed: false
        case .open(let until): now >= until
        case .halfOpen(let claims, let succeeded): Self.freeSlots(claims, succeeded, now: now, policy: policy) > 0
        }
    }

    /// The breaker with an empty window (its phase and trips kept).
    func withoutWindow() -> CircuitBreaker {
        var breaker = self
        breaker.window = OutcomeWindow()
        return breaker
    }

    static func freeSlots(_ claims: [String: Date], _ succeeded: Int, now: Date, policy: BreakerPolicy) -> Int {
        let live = claims.values.filter { now.timeIntervalSince($0) < policy.probeTimeout }.count
        return policy.probes - succeeded - live
    }
}
