import Foundation

/// How a channel's circuit breaker trips and recovers (docs/channels.md, "The breaker"):
/// the failure rate over a sliding window with a minimum of calls (N of M), the errors that
/// trip it at once, the cooldown that doubles with each trip in a row, and the probe calls
/// a half-open breaker lets through.
public struct BreakerPolicy: Sendable, Hashable {
    /// The sliding window the failure rate is measured over, in seconds (1 s to 1 h).
    public var window: TimeInterval
    /// Calls the window must hold before its failure rate may trip the breaker (1-100,000).
    public var minimumCalls: Int
    /// The failure rate at or above which the breaker trips (more than 0, at most 1).
    public var failureRate: Double
    /// The first cooldown, in seconds; each trip in a row doubles it (1 s to 1 h).
    public var cooldown: TimeInterval
    /// The longest cooldown, in seconds (at least `cooldown`, at most 24 h).
    public var maximumCooldown: TimeInterval
    /// Probe calls a half-open breaker lets through; all must succeed for it to close (1-100).
    public var probes: Int
    /// How long a claimed probe slot waits for its outcome before another caller may take
    /// it, in seconds (1 s to 10 min).
    public var probeTimeout: TimeInterval
    /// Words that, in an upstream error's type or message (case aside), mean the channel
    /// cannot work (at most 32, each 1-100 characters): the breaker trips at once.
    public var fatalKeywords: [String]
    /// Trips in a row after which the channel is disabled until an operator enables it
    /// (1-1,000); nil: never, the breaker keeps probing.
    public var disableAfterTrips: Int?

    public init(window: TimeInterval = 60, minimumCalls: Int = 20, failureRate: Double = 0.5, cooldown: TimeInterval = 30,
                maximumCooldown: TimeInterval = 1_800, probes: Int = 3, probeTimeout: TimeInterval = 60,
                fatalKeywords: [String] = [], disableAfterTrips: Int? = nil) {
        self.window = window
        self.minimumCalls = minimumCalls
        self.failureRate = failureRate
        self.cooldown = cooldown
        self.maximumCooldown = maximumCooldown
        self.probes = probes
        self.probeTimeout = probeTimeout
        self.fatalKeywords = fatalKeywords
        self.disableAfterTrips = disableAfterTrips
    }

    /// The cooldown after `trips` trips in a row (the first is 1): `cooldown` doubled for
    /// each trip before it, at most `maximumCooldown`, and never shorter than what the
    /// upstream asked for (`Retry-After`).
    public func cooldown(afterTrips trips: Int, retryAfter: TimeInterval?) -> TimeInterval {
        let doublings = min(max(trips - 1, 0), 32)
        let grown = min(cooldown * pow(2, Double(doublings)), maximumCooldown)
        return max(grown, min(retryAfter ?? 0, Self.longestRetryAfter))
    }

    /// The longest `Retry-After` honoured (a day): a larger one is cut to it.
    public static let longestRetryAfter: TimeInterval = 86_400
}
