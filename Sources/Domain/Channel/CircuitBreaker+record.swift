import Foundation

extension CircuitBreaker {
    /// Counts `outcome` (recorded at `now`) and returns the transition it causes, which the
    /// caller folds with ``apply(_:policy:)`` (deciding) or finds in the log after it
    /// (replaying). Closed: a fatal error trips at once, a failure trips when the window
    /// holds at least `minimumCalls` and its failure rate reached the bound; an outcome older
    /// than the window counts for nothing. Half-open: only the probes' outcomes count, one
    /// failure trips, and `probes` successes close it. Open: nothing counts.
    @discardableResult
    public mutating func record(_ outcome: CallOutcome, now: Date, policy: BreakerPolicy) -> BreakerTransition? {
        let verdict = outcome.verdict(policy)
        switch phase {
        case .open:
            return nil
        case .closed:
            guard window.count(failed: verdict != .success, at: outcome.at, window: policy.window, now: now) else { return nil }
            let totals = window.totals(window: policy.window, now: now)
            if verdict == .fatal { return .tripped(trip(.fatalError, outcome, totals, now: now, policy: policy)) }
            guard verdict == .failure, totals.calls >= policy.minimumCalls,
                  Double(totals.failures) >= policy.failureRate * Double(totals.calls)
            else { return nil }
            return .tripped(trip(.failureRate, outcome, totals, now: now, policy: policy))
        case .halfOpen(var claims, let succeeded):
            guard claims.removeValue(forKey: outcome.requestID) != nil else { return nil }
            guard verdict == .success else {
                phase = .halfOpen(claims: claims, succeeded: succeeded)
                return .tripped(trip(.probeFailed, outcome, .init(calls: 1, failures: 1), now: now, policy: policy))
            }
            phase = .halfOpen(claims: claims, succeeded: succeeded + 1)
            return succeeded + 1 >= policy.probes ? .recovered(probes: succeeded + 1, at: now) : nil
        }
    }

    /// The transitions that give request `requestID` a probe slot at `now`: the half-opening
    /// first when the cooldown just ended; `[]` when it holds one already (asked again).
    /// - Returns: nil when no slot is free (still cooling down, or every slot taken), or
    ///   the breaker is closed (a call needs no probe slot).
    public func claimProbe(requestID: String, now: Date, policy: BreakerPolicy) -> [BreakerTransition]? {
        switch phase {
        case .closed:
            return nil
        case .open(let until):
            guard now >= until else { return nil }
            return [.halfOpened(at: now), .probeClaimed(requestID: requestID, at: now)]
        case .halfOpen(let claims, let succeeded):
            // Asked again by the holder of a live slot; a slot that timed out is claimed anew.
            if let claimed = claims[requestID], now.timeIntervalSince(claimed) < policy.probeTimeout { return [] }
            guard Self.freeSlots(claims, succeeded, now: now, policy: policy) > 0 else { return nil }
            return [.probeClaimed(requestID: requestID, at: now)]
        }
    }

    /// The breaker after `transition`.
    public mutating func apply(_ transition: BreakerTransition, policy: BreakerPolicy) {
        switch transition {
        case .tripped(let trip):
            phase = .open(until: trip.until)
            tripsInARow = trip.tripsInARow
            window = OutcomeWindow()
        case .halfOpened:
            phase = .halfOpen(claims: [:], succeeded: 0)
            window = OutcomeWindow()
        case .probeClaimed(let requestID, let at):
            guard case .halfOpen(var claims, let succeeded) = phase else { return }
            // Claims whose outcome never came are dropped once a new one is made: at most
            // `probes` live ones are ever held.
            claims = claims.filter { at.timeIntervalSince($0.value) < policy.probeTimeout }
            claims[requestID] = at
            phase = .halfOpen(claims: claims, succeeded: succeeded)
        case .recovered:
            phase = .closed
            tripsInARow = 0
            window = OutcomeWindow()
        }
    }

    /// The trip of this breaker for `reason`, caused by `outcome`, with the window's `totals`.
    func trip(_ reason: BreakerTrip.Reason, _ outcome: CallOutcome, _ totals: OutcomeWindow.Counts, now: Date,
                      policy: BreakerPolicy) -> BreakerTrip {
        let trips = tripsInARow + 1
        let cooldown = policy.cooldown(afterTrips: trips, retryAfter: outcome.retryAfter)
        return BreakerTrip(reason: reason, calls: totals.calls, failures: totals.failures, requestID: outcome.requestID,
                           status: outcome.status, errorType: outcome.errorType, tripsInARow: trips, cooldown: cooldown,
                           at: now, until: now.addingTimeInterval(cooldown))
    }
}
