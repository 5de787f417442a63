import Foundation

extension ChannelState {
    mutating func updateKey(_ id: String, _ change: (inout ChannelKey) -> Void) {
        guard let index = keys.firstIndex(where: { $0.id == id }) else { return }
        change(&keys[index])
    }

    /// The new spec: the breakers of models it no longer serves go; a new window width
    /// empties every window (counts of buckets of another width say nothing of the new ones).
    mutating func update(_ new: ChannelSpec) {
        let widened = spec?.breaker.window != new.breaker.window
        spec = new
        modelBreakers = modelBreakers.filter { name, _ in new.models.contains { $0.name == name } }
        if widened {
            breaker = breaker.withoutWindow()
            modelBreakers = modelBreakers.mapValues { $0.withoutWindow() }
        }
    }

    /// Every breaker closed and empty, as after an operator enables an automatically
    /// disabled channel.
    mutating func resetBreakers() {
        breaker = CircuitBreaker()
        modelBreakers = [:]
        resetsBreakersWhenEnabled = false
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

    /// Drops the request memory (the read model never decides, so it needs none).
    public mutating func forgetRequests() {
        recent = RecentRequests(capacity: 1)
    }
}
