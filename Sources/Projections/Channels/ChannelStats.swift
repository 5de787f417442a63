import Domain
import Foundation

/// A channel's recent calls as its outcomes report them: the last ``capacity`` outcomes (for
/// the figures of the last ``window``), a smoothed success rate and latency per model (for
/// routing by cost and by latency) and its last error. Bounded whatever the traffic.
public struct ChannelStats: Sendable {
    /// Outcomes kept per channel.
    public static let capacity = 10_000
    /// The span the figures cover, in seconds.
    public static let window: TimeInterval = 300
    /// The weight of the newest outcome in the smoothed figures (EWMA).
    public static let smoothing = 0.1
    /// Models with smoothed figures per channel; outcomes of further models count only in the window.
    public static let maximumModels = 1_000

    struct Sample: Sendable {
        let at: Date
        let succeeded: Bool
        let latencyMs: Int
        let tokens: Int
        /// What the call cost, in nano-USD; nil when its usage or its price is not known.
        let costNanoUSD: Int64?
    }

    /// Smoothed figures of one model on the channel.
    public struct Smoothed: Sendable, Equatable {
        public var successRate: Double
        public var latencyMs: Double
    }

    private var samples: [Sample] = []
    private var next = 0
    public private(set) var smoothed: [String: Smoothed] = [:]
    /// The latest outcome that was not a success.
    public private(set) var lastError: CallOutcome?

    public init() {}

    /// Adds `outcome`, which cost `costNanoUSD` (nil: not known).
    mutating func add(_ outcome: CallOutcome, verdict: CallVerdict, costNanoUSD: Int64?) {
        let sample = Sample(at: outcome.at, succeeded: verdict == .success, latencyMs: outcome.latencyMs, tokens: outcome.tokens,
                            costNanoUSD: costNanoUSD)
        if samples.count < Self.capacity {
            samples.append(sample)
        } else {
            samples[next] = sample
            next = (next + 1) % Self.capacity
        }
        if verdict != .success { lastError = outcome }
        let success = verdict == .success ? 1.0 : 0.0
        if var figures = smoothed[outcome.model] {
            figures.successRate += Self.smoothing * (success - figures.successRate)
            figures.latencyMs += Self.smoothing * (Double(outcome.latencyMs) - figures.latencyMs)
            smoothed[outcome.model] = figures
        } else if smoothed.count < Self.maximumModels {
            smoothed[outcome.model] = Smoothed(successRate: success, latencyMs: Double(outcome.latencyMs))
        }
    }

    /// The figures of the outcomes of the last ``window`` before `now`.
    public func figures(now: Date) -> WindowFigures {
        let since = now.addingTimeInterval(-Self.window)
        let recent = samples.filter { $0.at > since && $0.at <= now }
        let latencies = recent.map(\.latencyMs).sorted()
        func percentile(_ p: Double) -> Int? {
            latencies.isEmpty ? nil : latencies[min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)]
        }
        let successes = recent.filter(\.succeeded).count
        let costs = recent.compactMap(\.costNanoUSD)
        return WindowFigures(calls: recent.count, successes: successes, latencyP50Ms: percentile(0.5), latencyP99Ms: percentile(0.99),
                             tokens: recent.reduce(0) { $0 + $1.tokens }, costNanoUSD: costs.reduce(0, &+),
                             uncostedCalls: recent.count - costs.count)
    }
}
