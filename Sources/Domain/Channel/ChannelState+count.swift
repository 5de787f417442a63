import Foundation

extension ChannelState {
    /// Counts `outcome`, reported at `now`, and remembers its request id. Returns the events
    /// of the transitions it causes without applying them: the decider writes them after the
    /// outcome and folds them; replaying, ``Channel/evolve(_:_:)`` counts the outcome the same
    /// way and finds them next in the log.
    ///
    /// Where it counts: in the channel's breaker when that is not closed (a probe's outcome);
    /// a fatal error sets the key aside when other keys work, else trips the channel; an
    /// outcome of a served model whose own breaker is not closed counts there alone; else it
    /// counts in both the channel's breaker and its model's. When the channel's failure rate
    /// trips it but every failure in the window is one model's while other models answered,
    /// that model's breaker trips instead (the model fails alone).
    mutating func count(_ outcome: CallOutcome, now: Date) -> [ChannelEvent] {
        recent.insert(outcome.requestID)
        guard let policy = spec?.breaker, status == .enabled else { return [] }
        var outcome = outcome
        outcome.at = min(outcome.at, now)
        let verdict = outcome.verdict(policy)
        if verdict == .success { resetAsides(of: outcome.keyID, now: now) }
        if breaker.phase != .closed { return channelEvents(breaker.record(outcome, now: now, policy: policy), policy) }
        if verdict == .fatal {
            return keyAside(outcome, now: now, policy: policy)
                ?? channelEvents(breaker.record(outcome, now: now, policy: policy), policy)
        }
        guard spec?.models.contains(where: { $0.name == outcome.model }) == true else {
            return channelEvents(breaker.record(outcome, now: now, policy: policy), policy)
        }
        return countServed(outcome, now: now, policy: policy)
    }

    private mutating func countServed(_ outcome: CallOutcome, now: Date, policy: BreakerPolicy) -> [ChannelEvent] {
        let model = outcome.model
        var modelBreaker = modelBreakers[model] ?? CircuitBreaker()
        defer { modelBreakers[model] = modelBreaker }
        guard modelBreaker.phase == .closed else {
            return modelBreaker.record(outcome, now: now, policy: policy).map { [ChannelEvent($0, model: model)] } ?? []
        }
        let channelTransition = breaker.record(outcome, now: now, policy: policy)
        let modelTransition = modelBreaker.record(outcome, now: now, policy: policy)
        if channelTransition != nil {
            let channel = breaker.window.totals(window: policy.window, now: now)
            let alone = modelBreaker.window.totals(window: policy.window, now: now)
            guard alone.failures == channel.failures, alone.calls < channel.calls else {
                return channelEvents(channelTransition, policy)
            }
            return [.tripped(model: model, modelBreaker.trip(.failureRate, outcome, alone, now: now, policy: policy))]
        }
        return modelTransition.map { [ChannelEvent($0, model: model)] } ?? []
    }

    /// The channel's events for its breaker's `transition`: a trip that reaches the policy's
    /// `disableAfterTrips` also disables the channel.
    private func channelEvents(_ transition: BreakerTransition?, _ policy: BreakerPolicy) -> [ChannelEvent] {
        guard let transition else { return [] }
        let event = ChannelEvent(transition, model: nil)
        guard case .tripped(let trip) = transition, let bound = policy.disableAfterTrips, trip.tripsInARow >= bound else {
            return [event]
        }
        return [event, .autoDisabled(tripsInARow: trip.tripsInARow, at: trip.at)]
    }

    /// The setting aside of the key a fatal error names, when another key of the channel is
    /// usable; `[]` when the key is not in routing anyway (aside already, draining or
    /// retired); nil when it is the last usable key (the error is the channel's).
    private func keyAside(_ outcome: CallOutcome, now: Date, policy: BreakerPolicy) -> [ChannelEvent]? {
        guard let key = key(outcome.keyID) else { return nil }
        guard key.isUsable(at: now) else { return [] }
        guard keys.contains(where: { $0.id != key.id && $0.isUsable(at: now) }) else { return nil }
        let asides = key.asidesInARow + 1
        let aside = policy.cooldown(afterTrips: asides, retryAfter: outcome.retryAfter)
        return [.keyDisabled(KeyAside(keyID: key.id, requestID: outcome.requestID, status: outcome.status,
                                      errorType: outcome.errorType, asidesInARow: asides, at: now,
                                      until: now.addingTimeInterval(aside)))]
    }

    /// A usable key that answered: its next time aside starts from the first cooldown again.
    private mutating func resetAsides(of keyID: String, now: Date) {
        guard let index = keys.firstIndex(where: { $0.id == keyID }), keys[index].isUsable(at: now) else { return }
        keys[index].asidesInARow = 0
    }
}
