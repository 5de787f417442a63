import Foundation

extension Channel {
    public static func evolve(_ state: ChannelState, _ event: ChannelEvent) -> ChannelState {
        var state = state
        switch event {
        case .created(let id, let spec, _, _):
            state.id = id
            state.spec = spec
        case .updated(let spec, _, _):
            state.spec = spec
            state.modelBreakers = state.modelBreakers.filter { name, _ in spec.models.contains { $0.name == name } }
        case .enabled:
            if case .autoDisabled = state.status {
                state.breaker = CircuitBreaker()
                state.modelBreakers = [:]
            }
            state.status = .enabled
        case .disabled(let by, let reason, let at):
            state.status = .disabled(by: by, reason: reason, at: at)
        case .autoDisabled(let trips, let at):
            state.status = .autoDisabled(tripsInARow: trips, at: at)
        case .deleted:
            state.isDeleted = true
        case .keyAdded(let key):
            state.keys.append(key)
        case .keyDraining(let id, _, _):
            state.updateKey(id) { $0.status = .draining }
        case .keyRetired(let id, _, _):
            state.updateKey(id) { $0.status = .retired }
        case .keyDisabled(let aside):
            state.updateKey(aside.keyID) {
                $0.asideUntil = aside.until
                $0.asidesInARow = aside.asidesInARow
            }
        case .outcomesRecorded(let outcomes, let at):
            for outcome in outcomes { _ = state.count(outcome, now: at) }
        case .tripped, .halfOpened, .probeClaimed, .recovered:
            if let (model, transition) = event.transition { state.apply(transition, model: model) }
        }
        return state
    }
}

extension ChannelState {
    mutating func updateKey(_ id: String, _ change: (inout ChannelKey) -> Void) {
        guard let index = keys.firstIndex(where: { $0.id == id }) else { return }
        change(&keys[index])
    }

    /// Folds a breaker's transition; a model's trip first takes the model's calls out of the
    /// channel's window (they no longer speak for the channel).
    mutating func apply(_ transition: BreakerTransition, model: String?) {
        let policy = spec?.breaker ?? BreakerPolicy()
        guard let model else {
            breaker.apply(transition, policy: policy)
            // The channel's trip speaks for every model: the calls the models' windows held
            // before it no longer count, as the channel's own no longer do.
            if case .tripped = transition { modelBreakers = modelBreakers.mapValues { $0.withoutWindow() } }
            return
        }
        var modelBreaker = modelBreakers[model] ?? CircuitBreaker()
        if case .tripped = transition { breaker.window.subtract(modelBreaker.window) }
        modelBreaker.apply(transition, policy: policy)
        modelBreakers[model] = modelBreaker
    }
}
