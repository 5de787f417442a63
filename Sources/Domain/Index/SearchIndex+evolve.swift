import Foundation

extension SearchIndex {
    public static func evolve(_ state: SearchIndexState, _ event: SearchIndexEvent) -> SearchIndexState {
        var state = state
        switch event {
        case .versionCreated(let index, let number, let spec, let from, _, let at):
            state.name = index
            state.versions[number] = IndexVersion(number: number, spec: spec, migratedFrom: from, createdAt: at)
        case .versionReady(let number, let readiness, _):
            state.versions[number]?.status = .ready
            state.versions[number]?.readiness = readiness
        case .versionActivated(let number, _, _, _):
            state.weights = [IndexWeight(version: number, percent: 100)]
            state.stable = number
        case .trafficShifted(let weights, let step, _, let at):
            state.weights = weights
            if let step, state.rollout != nil {
                state.rollout?.step = step
                state.rollout?.stepStartedAt = at
            } else if weights.count == 1 {
                state.stable = weights[0].version
            }
        case .rolloutStarted(let canary, let stable, let plan, _, let at):
            state.rollout = RunningRollout(canary: canary, stable: stable, plan: plan, step: 0, stepStartedAt: at)
        case .rolloutPaused:
            state.rollout?.paused = true
        case .rolloutResumed(_, _, let at):
            state.rollout?.paused = false
            state.rollout?.stepStartedAt = at
        case .rolloutCompleted(let canary, _, _, _):
            state.stable = canary
            state.rollout = nil
        case .rolledBack(let record):
            state.weights = [IndexWeight(version: record.restored, percent: 100)]
            state.stable = record.restored
            state.rollout = nil
        case .evaluationRecorded(let number, let evaluation):
            state.versions[number]?.evaluation = evaluation
        case .versionDeprecated(let number, _, _):
            state.versions[number]?.status = .deprecated
        case .versionRetired(let number, _, _):
            state.versions[number]?.status = .retired
        }
        return state
    }
}
