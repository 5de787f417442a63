import Foundation

extension SearchIndex {
    static func startRollout(canary: Int, plan: RolloutPlan, by: String, now: Date,
                             state: SearchIndexState) throws -> [SearchIndexEvent] {
        try validateText(by, field: "by")
        try validate(plan)
        try requireReady(canary, state: state)
        if let rollout = state.rollout { throw SearchIndexError.rolloutRunning(canary: rollout.canary) }
        guard let stable = state.stable, state.weights == [IndexWeight(version: stable, percent: 100)] else {
            throw SearchIndexError.noStableVersion
        }
        guard canary != stable else { throw SearchIndexError.invalid(field: "canary", reason: "serves 100 % already") }
        let started = SearchIndexEvent.rolloutStarted(canary: canary, stable: stable, plan: plan, by: by, at: now)
        return [started] + step(1, by: by, now: now, state: evolve(state, started))
    }

    /// Rolls back when a bound fails; advances when the pause passed, the step saw enough
    /// searches and every bound holds; otherwise changes nothing.
    static func analyze(canary: VersionFigures, stable: VersionFigures, now: Date,
                        state: SearchIndexState) -> [SearchIndexEvent] {
        guard let rollout = state.rollout else { return [] }
        let failed = rollout.plan.bounds.failures(
            canary: canary, stable: stable, canaryEvaluation: state.versions[rollout.canary]?.evaluation,
            stableEvaluation: state.versions[rollout.stable]?.evaluation)
        if !failed.isEmpty {
            return [.rolledBack(RollbackRecord(
                canary: rollout.canary, restored: rollout.stable, trigger: .automatic, failedBounds: failed,
                canaryFigures: canary, stableFigures: stable, by: "analysis", at: now))]
        }
        guard !rollout.paused, now.timeIntervalSince(rollout.stepStartedAt) >= rollout.plan.pause,
              canary.searches >= rollout.plan.bounds.minSearches else { return [] }
        return step(rollout.step + 1, by: "analysis", now: now, state: state)
    }

    static func promote(by: String, now: Date, state: SearchIndexState) throws -> [SearchIndexEvent] {
        try validateText(by, field: "by")
        guard state.isKnown else { throw SearchIndexError.unknownIndex }
        guard let rollout = state.rollout else { throw SearchIndexError.noRollout }
        return step(rollout.plan.steps.count, by: by, now: now, state: state)
    }

    static func pause(by: String, now: Date, state: SearchIndexState) throws -> [SearchIndexEvent] {
        try validateText(by, field: "by")
        guard state.isKnown else { throw SearchIndexError.unknownIndex }
        guard let rollout = state.rollout else { throw SearchIndexError.noRollout }
        return rollout.paused ? [] : [.rolloutPaused(canary: rollout.canary, by: by, at: now)]
    }

    static func resume(by: String, now: Date, state: SearchIndexState) throws -> [SearchIndexEvent] {
        try validateText(by, field: "by")
        guard state.isKnown else { throw SearchIndexError.unknownIndex }
        guard let rollout = state.rollout else { throw SearchIndexError.noRollout }
        return rollout.paused ? [.rolloutResumed(canary: rollout.canary, by: by, at: now)] : []
    }

    static func abort(reason: String, by: String, now: Date, state: SearchIndexState) throws -> [SearchIndexEvent] {
        try validateText(reason, field: "reason")
        try validateText(by, field: "by")
        guard state.isKnown else { throw SearchIndexError.unknownIndex }
        guard let rollout = state.rollout else { throw SearchIndexError.noRollout }
        return [.rolledBack(RollbackRecord(canary: rollout.canary, restored: rollout.stable, trigger: .manual,
                                           reason: reason, by: by, at: now))]
    }

    /// Records the evaluation; when it is of the running rollout's canary or stable version
    /// and the canary's quality now breaks a bound, rolls back.
    static func recordEvaluation(_ number: Int, _ evaluation: IndexEvaluation,
                                 state: SearchIndexState) throws -> [SearchIndexEvent] {
        try validate(evaluation)
        let version = try version(number, in: state)
        guard version.status != .retired else { throw SearchIndexError.wrongStatus(version: number, status: .retired) }
        let recorded = SearchIndexEvent.evaluationRecorded(version: number, evaluation)
        let after = evolve(state, recorded)
        guard let rollout = after.rollout, [rollout.canary, rollout.stable].contains(number) else { return [recorded] }
        let failed = rollout.plan.bounds.failures(
            canary: VersionFigures(), stable: VersionFigures(), canaryEvaluation: after.versions[rollout.canary]?.evaluation,
            stableEvaluation: after.versions[rollout.stable]?.evaluation)
        guard !failed.isEmpty else { return [recorded] }
        return [recorded, .rolledBack(RollbackRecord(canary: rollout.canary, restored: rollout.stable, trigger: .automatic,
                                                     failedBounds: failed, by: "evaluation", at: evaluation.at))]
    }

    /// The canary at step `number` of its plan (1-based); at 100 % the rollout completes.
    private static func step(_ number: Int, by: String, now: Date, state: SearchIndexState) -> [SearchIndexEvent] {
        guard let rollout = state.rollout else { return [] }
        let percent = rollout.plan.steps[min(number, rollout.plan.steps.count) - 1]
        guard percent < 100 else {
            return [.trafficShifted(weights: [IndexWeight(version: rollout.canary, percent: 100)],
                                    step: rollout.plan.steps.count, by: by, at: now),
                    .rolloutCompleted(canary: rollout.canary, previous: rollout.stable, by: by, at: now)]
        }
        return [.trafficShifted(weights: [IndexWeight(version: rollout.canary, percent: percent),
                                          IndexWeight(version: rollout.stable, percent: 100 - percent)],
                                step: number, by: by, at: now)]
    }
}
