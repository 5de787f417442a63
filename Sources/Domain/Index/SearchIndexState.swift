import Foundation

/// An index: its versions, the current split of its searches, the last version that
/// served 100 %, and the running rollout.
public struct SearchIndexState: Sendable, Equatable {
    public var name: String?
    public var versions: [Int: IndexVersion] = [:]
    /// The split in routing order; empty until a version is activated.
    public var weights: [IndexWeight] = []
    /// The last version that served 100 %: where a rollback goes.
    public var stable: Int?
    public var rollout: RunningRollout?

    public init() {}

    /// Whether anything was ever recorded about the index.
    public var isKnown: Bool { name != nil }

    /// The version numbers that serve (weight above 0).
    public var serving: Set<Int> { Set(weights.filter { $0.percent > 0 }.map(\.version)) }

    /// The routing of this state's searches (nil before any version serves).
    public var routing: IndexRouting? {
        weights.isEmpty ? nil : IndexRouting(weights: weights, pinnedKeys: rollout?.plan.pinnedKeys ?? [],
                                             canary: rollout?.canary)
    }
}

/// A rollout under way.
public struct RunningRollout: Sendable, Hashable {
    public var canary: Int
    public var stable: Int
    public var plan: RolloutPlan
    /// The step in force, 1-based (its percent is `plan.steps[step - 1]`).
    public var step: Int
    /// When the step began (or the rollout resumed): the pause counts from here.
    public var stepStartedAt: Date
    public var paused: Bool

    public init(canary: Int, stable: Int, plan: RolloutPlan, step: Int, stepStartedAt: Date, paused: Bool = false) {
        self.canary = canary
        self.stable = stable
        self.plan = plan
        self.step = step
        self.stepStartedAt = stepStartedAt
        self.paused = paused
    }
}
