import Foundation

/// How a canary is rolled out: its percentages in order (the last is 100), the least time
/// between steps, the bounds its figures must keep, and the routing keys pinned to it.
public struct RolloutPlan: Sendable, Hashable {
    public var steps: [Int]
    public var pause: TimeInterval
    public var bounds: RolloutBounds
    public var pinnedKeys: [String]

    public init(steps: [Int] = [1, 10, 50, 100], pause: TimeInterval = 300, bounds: RolloutBounds = .init(),
                pinnedKeys: [String] = []) {
        self.steps = steps
        self.pause = pause
        self.bounds = bounds
        self.pinnedKeys = pinnedKeys
    }
}

/// The bounds a canary's figures keep against the stable version's; nil leaves one out.
public struct RolloutBounds: Sendable, Hashable {
    /// Searches a step must see on the canary before error, latency and feedback are judged.
    public var minSearches: Int
    /// Canary error rate minus stable error rate, at most.
    public var maxErrorRateIncrease: Double?
    /// Canary p99 latency over stable p99 latency, at most.
    public var maxLatencyRatio: Double?
    /// Canary positive-feedback rate over stable's, at least.
    public var minFeedbackRatio: Double?
    /// Stable recall@k minus canary recall@k (latest evaluations), at most.
    public var maxRecallDrop: Double?
    /// Stable MRR minus canary MRR (latest evaluations), at most.
    public var maxMRRDrop: Double?

    public init(minSearches: Int = 100, maxErrorRateIncrease: Double? = 0.01, maxLatencyRatio: Double? = 1.5,
                minFeedbackRatio: Double? = nil, maxRecallDrop: Double? = 0.02, maxMRRDrop: Double? = nil) {
        self.minSearches = minSearches
        self.maxErrorRateIncrease = maxErrorRateIncrease
        self.maxLatencyRatio = maxLatencyRatio
        self.minFeedbackRatio = minFeedbackRatio
        self.maxRecallDrop = maxRecallDrop
        self.maxMRRDrop = maxMRRDrop
    }
}

/// What the search read model saw of one version during the current rollout step.
public struct VersionFigures: Sendable, Hashable {
    public var searches: Int
    public var errors: Int
    public var p99LatencyMs: Double
    public var feedback: Int
    public var positiveFeedback: Int

    public init(searches: Int = 0, errors: Int = 0, p99LatencyMs: Double = 0, feedback: Int = 0, positiveFeedback: Int = 0) {
        self.searches = searches
        self.errors = errors
        self.p99LatencyMs = p99LatencyMs
        self.feedback = feedback
        self.positiveFeedback = positiveFeedback
    }

    /// Errors per search (0 without searches).
    public var errorRate: Double { searches == 0 ? 0 : Double(errors) / Double(searches) }
    /// Positive reports per report (nil without reports).
    public var positiveRate: Double? { feedback == 0 ? nil : Double(positiveFeedback) / Double(feedback) }
}
