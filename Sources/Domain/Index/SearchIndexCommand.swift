import Foundation

/// What a client (or a reactor) asks of an index. Time, names and figures come in on the
/// command.
public enum SearchIndexCommand: Sendable, Equatable {
    /// Create the next version (the index with its first). With `migratingFrom`, the
    /// version re-embeds that version's sources (when `spec.sources` is empty) with its
    /// own model.
    case createVersion(index: String, spec: IndexVersionSpec, migratingFrom: Int?, by: String, now: Date)
    /// Pass a building version through its gate with these facts.
    case markReady(version: Int, readiness: IndexReadiness, now: Date)
    /// Serve a ready version at 100 % at once (no rollout running).
    case activate(version: Int, by: String, now: Date)
    /// Split the searches by hand (no rollout running); weights sum to 100.
    case shiftTraffic(weights: [IndexWeight], by: String, now: Date)
    /// Roll `canary` out over the stable version by `plan`.
    case startRollout(canary: Int, plan: RolloutPlan, by: String, now: Date)
    /// Weigh the running rollout's figures for the current step: roll back when a bound
    /// fails, advance when the pause passed and the bounds hold, else nothing.
    case analyze(canary: VersionFigures, stable: VersionFigures, now: Date)
    /// Take the canary to 100 % now.
    case promote(by: String, now: Date)
    case pause(by: String, now: Date)
    case resume(by: String, now: Date)
    /// Roll back by hand.
    case abort(reason: String, by: String, now: Date)
    /// Record an offline evaluation (and roll back a canary whose quality broke a bound).
    case recordEvaluation(version: Int, IndexEvaluation)
    case deprecate(version: Int, reason: String, now: Date)
    case retire(version: Int, by: String, now: Date)
}
