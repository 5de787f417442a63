import Foundation

/// What happened to an index.
public enum SearchIndexEvent: Sendable, Equatable {
    /// A version was created, building.
    case versionCreated(index: String, version: Int, spec: IndexVersionSpec, migratedFrom: Int?, by: String, at: Date)
    /// A version passed its gate.
    case versionReady(version: Int, readiness: IndexReadiness, at: Date)
    /// A version serves 100 % at once; `previous` did before.
    case versionActivated(version: Int, previous: Int?, by: String, at: Date)
    /// The searches were split anew, by rollout step `step` (1-based) or by hand (nil).
    case trafficShifted(weights: [IndexWeight], step: Int?, by: String, at: Date)
    case rolloutStarted(canary: Int, stable: Int, plan: RolloutPlan, by: String, at: Date)
    case rolloutPaused(canary: Int, by: String, at: Date)
    case rolloutResumed(canary: Int, by: String, at: Date)
    /// The canary reached 100 % and became the stable version.
    case rolloutCompleted(canary: Int, previous: Int, by: String, at: Date)
    /// The rollout ended without the canary: `restored` serves 100 % again.
    case rolledBack(RollbackRecord)
    case evaluationRecorded(version: Int, IndexEvaluation)
    case versionDeprecated(version: Int, reason: String, at: Date)
    case versionRetired(version: Int, by: String, at: Date)
}

/// Why and with what figures a rollout was rolled back.
public struct RollbackRecord: Sendable, Hashable {
    public enum Trigger: String, Sendable, Hashable {
        /// A bound failed; nobody called.
        case automatic
        /// Aborted by hand.
        case manual
    }

    public var canary: Int
    public var restored: Int
    public var trigger: Trigger
    /// The bounds that failed, each with its figures.
    public var failedBounds: [String]
    public var canaryFigures: VersionFigures?
    public var stableFigures: VersionFigures?
    public var reason: String
    public var by: String
    public var at: Date

    public init(canary: Int, restored: Int, trigger: Trigger, failedBounds: [String] = [], canaryFigures: VersionFigures? = nil,
                stableFigures: VersionFigures? = nil, reason: String = "", by: String, at: Date) {
        self.canary = canary
        self.restored = restored
        self.trigger = trigger
        self.failedBounds = failedBounds
        self.canaryFigures = canaryFigures
        self.stableFigures = stableFigures
        self.reason = reason
        self.by = by
        self.at = at
    }
}
