import Domain
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)
private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }
private let policy = BreakerPolicy(window: 60, minimumCalls: 20, failureRate: 0.5, cooldown: 30, maximumCooldown: 300, probes: 3,
                                   probeTimeout: 60, fatalKeywords: ["account suspended"])
private func call(_ status: Int, at seconds: TimeInterval, errorType: String = "", message: String = "", retryAfter: TimeInterval? = nil,
                  id: String? = nil) -> CallOutcome {
    CallOutcome(requestID: id ?? UUID().uuidString, keyID: "k1", model: "gpt-4o", status: status, errorType: errorType,
                message: message, latencyMs: 100, retryAfter: retryAfter, at: at(seconds))
}

/// Records `outcomes` one by one at their own times, folding every transition, as the
/// channel's decider does; returns the transitions in order.
@discardableResult
private func drive(_ breaker: inout CircuitBreaker, _ outcomes: [CallOutcome]) -> [BreakerTransition] {
    var transitions: [BreakerTransition] = []
    for outcome in outcomes {
        if let transition = breaker.record(outcome, now: outcome.at, policy: policy) {
            breaker.apply(transition, policy: policy)
            transitions.append(transition)
        }
    }
    return transitions
}

/// A breaker tripped once at `t0` by a fatal error (open until t0 + 30 s).
private func tripped() -> CircuitBreaker {
    var breaker = CircuitBreaker()
    drive(&breaker, [call(401, at: 0)])
    return breaker
}

/// `tripped()` half-opened at 30 s with probes r-p1…r-p3 claimed.
private func halfOpenWithThreeProbes() -> CircuitBreaker {
    var breaker = tripped()
    for (i, id) in ["p1", "p2", "p3"].enumerated() {
        for transition in breaker.claimProbe(requestID: id, now: at(30 + Double(i)), policy: policy) ?? [] {
            breaker.apply(transition, policy: policy)
        }
    }
    return breaker
}

@Suite struct CircuitBreakerTests {
    @Suite("closed") struct Closed {
        @Test func failures_belowTheMinimumOfCalls_neverTrip() {
            var breaker = CircuitBreaker()
            #expect(drive(&breaker, (0..<19).map { call(500, at: Double($0)) }).isEmpty)
            #expect(breaker.phase == .closed)
            let transitions = drive(&breaker, [call(503, at: 19)])
            guard case .tripped(let trip)? = transitions.first else { Issue.record("no trip: \(transitions)"); return }
            #expect(trip.reason == .failureRate)
            #expect((trip.calls, trip.failures) == (20, 20))
            #expect(trip.until == at(19 + 30))
            #expect(breaker.phase == .open(until: at(49)))
        }

        @Test func aFailureRateBelowTheBound_staysClosed_andOneMoreFailureAtTheBoundTrips() {
            var breaker = CircuitBreaker()
            let mixed = (0..<30).map { call($0 % 3 == 0 ? 500 : 200, at: Double($0)) }   // 10 of 30 failed
            #expect(drive(&breaker, mixed).isEmpty)
            let more = (30..<50).map { call($0 % 2 == 0 ? 502 : 200, at: Double($0)) }   // 20 of 50 failed in the window
            #expect(drive(&breaker, more).isEmpty)
            // Window (60 s) at 50 s holds all 50 calls, 20 failed: 5 more failures make 25 of 55 < 0.5 …
            #expect(drive(&breaker, (50..<55).map { call(500, at: Double($0)) }).isEmpty)
            // … and 5 more make 30 of 60 = 0.5: the bound is reached.
            let transitions = drive(&breaker, (55..<60).map { call(500, at: Double($0)) })
            guard case .tripped(let trip)? = transitions.first else { Issue.record("no trip: \(transitions)"); return }
            #expect(trip.failureRate >= 0.5)
            #expect(trip.calls >= 20)
        }

        @Test func aSuccess_neverTrips_evenWhenTheRateIsAtTheBound() {
            var breaker = CircuitBreaker()
            drive(&breaker, (0..<19).map { call(500, at: Double($0)) })
            #expect(drive(&breaker, [call(200, at: 19)]).isEmpty)
            #expect(breaker.phase == .closed)
        }

        @Test func clientErrors_countAsSuccesses() {
            var breaker = CircuitBreaker()
            #expect(drive(&breaker, (0..<40).map { call([400, 413, 422][$0 % 3], at: Double($0) / 2) }).isEmpty)
            #expect(breaker.window.totals(window: 60, now: at(20)).failures == 0)
        }

        @Test(arguments: [
            (401, "", ""), (403, "", ""), (400, "insufficient_quota", ""), (429, "INSUFFICIENT_QUOTA", ""),
            (400, "invalid_api_key", ""), (500, "", "Your Account Suspended until further notice"),
        ])
        func aFatalError_tripsAtOnce(status: Int, errorType: String, message: String) {
            var breaker = CircuitBreaker()
            drive(&breaker, [call(200, at: 0), call(200, at: 1)])
            let transitions = drive(&breaker, [call(status, at: 2, errorType: errorType, message: message)])
            guard case .tripped(let trip)? = transitions.first else { Issue.record("no trip for \(status) \(errorType) \(message)"); return }
            #expect(trip.reason == .fatalError)
            #expect(trip.status == status)
            #expect((trip.calls, trip.failures) == (3, 1))
        }

        @Test func aReportOlderThanTheWindow_countsForNothing_evenAFatalOne() {
            var breaker = CircuitBreaker()
            let late = call(401, at: 0)
            #expect(breaker.record(late, now: at(61), policy: policy) == nil)
            #expect(breaker.phase == .closed)
            #expect(breaker.window.totals(window: 60, now: at(61)).calls == 0)
        }

        @Test func failuresThatLeftTheWindow_noLongerCount() {
            var breaker = CircuitBreaker()
            drive(&breaker, (0..<19).map { call(500, at: Double($0)) })
            // 70 s later the 19 failures are out of the window: one more failure is 1 of 1.
            #expect(drive(&breaker, [call(500, at: 90)]).isEmpty)
            #expect(breaker.window.totals(window: 60, now: at(90)) == .init(calls: 1, failures: 1))
        }
    }

    @Suite("open") struct Open {
        @Test func outcomes_countForNothing() {
            var breaker = tripped()
            #expect(drive(&breaker, (1..<30).map { call(500, at: Double($0)) }).isEmpty)
            #expect(breaker.phase == .open(until: at(30)))
        }

        @Test func aProbe_isRefusedUntilTheCooldownEnds_thenHalfOpens() {
            let breaker = tripped()
            #expect(breaker.claimProbe(requestID: "p1", now: at(29.9), policy: policy) == nil)
            #expect(!breaker.allowsProbe(now: at(29.9), policy: policy))
            #expect(breaker.allowsProbe(now: at(30), policy: policy))
            #expect(breaker.claimProbe(requestID: "p1", now: at(30), policy: policy)
                == [.halfOpened(at: at(30)), .probeClaimed(requestID: "p1", at: at(30))])
        }

        @Test func aClosedBreaker_givesNoProbeSlot() {
            #expect(CircuitBreaker().claimProbe(requestID: "p1", now: t0, policy: policy) == nil)
        }
    }

    @Suite("half-open") struct HalfOpen {
        @Test func exactlyTheProbeSlots_areGiven_andAskingAgainChangesNothing() {
            let breaker = halfOpenWithThreeProbes()
            #expect(breaker.claimProbe(requestID: "p4", now: at(33), policy: policy) == nil)
            #expect(breaker.claimProbe(requestID: "p2", now: at(33), policy: policy) == [])
        }

        @Test func aProbeWhoseOutcomeNeverCame_freesItsSlotAfterTheTimeout() {
            var breaker = halfOpenWithThreeProbes()
            #expect(breaker.claimProbe(requestID: "p4", now: at(30 + 59.9), policy: policy) == nil)
            let claim = breaker.claimProbe(requestID: "p4", now: at(30 + 60), policy: policy)
            #expect(claim == [.probeClaimed(requestID: "p4", at: at(90))])
            for transition in claim ?? [] { breaker.apply(transition, policy: policy) }
            guard case .halfOpen(let claims, _) = breaker.phase else { Issue.record("\(breaker.phase)"); return }
            #expect(Set(claims.keys) == ["p2", "p3", "p4"])
        }

        @Test func everyProbeSucceeding_closesIt_andTheNextTripCoolsDownFromTheStart() {
            var breaker = halfOpenWithThreeProbes()
            #expect(drive(&breaker, [call(200, at: 31, id: "p1"), call(200, at: 32, id: "p2")]).isEmpty)
            #expect(drive(&breaker, [call(200, at: 33, id: "p3")]) == [.recovered(probes: 3, at: at(33))])
            #expect(breaker.phase == .closed)
            #expect(breaker.tripsInARow == 0)
            guard case .tripped(let trip)? = drive(&breaker, [call(401, at: 40)]).first else { Issue.record("no trip"); return }
            #expect(trip.cooldown == 30)
        }

        @Test func onlyProbes_count() {
            var breaker = halfOpenWithThreeProbes()
            #expect(drive(&breaker, (0..<30).map { call(500, at: 31 + Double($0) / 10) }).isEmpty)
            #expect(breaker.phase == .halfOpen(claims: ["p1": at(30), "p2": at(31), "p3": at(32)], succeeded: 0))
        }

        @Test func aFailedProbe_opensItAgain_forTwiceAsLong() {
            var breaker = halfOpenWithThreeProbes()
            drive(&breaker, [call(200, at: 31, id: "p1")])
            let transitions = drive(&breaker, [call(500, at: 32, id: "p2")])
            guard case .tripped(let trip)? = transitions.first else { Issue.record("no trip: \(transitions)"); return }
            #expect(trip.reason == .probeFailed)
            #expect(trip.tripsInARow == 2)
            #expect(trip.cooldown == 60)
            #expect(breaker.phase == .open(until: at(92)))
        }
    }

    @Suite("cooldown") struct Cooldown {
        @Test func itDoublesWithEveryTripInARow_upToTheMaximum() {
            #expect((1...6).map { policy.cooldown(afterTrips: $0, retryAfter: nil) } == [30, 60, 120, 240, 300, 300])
            #expect(policy.cooldown(afterTrips: 10_000, retryAfter: nil) == 300)
        }

        @Test func anUpstreamsRetryAfter_isHonoured_upToADay() {
            #expect(policy.cooldown(afterTrips: 1, retryAfter: 120) == 120)
            #expect(policy.cooldown(afterTrips: 3, retryAfter: 10) == 120)
            #expect(policy.cooldown(afterTrips: 1, retryAfter: 1e9) == 86_400)
        }

        @Test func aTripByA429WithRetryAfter_opensForAtLeastThatLong() {
            var breaker = CircuitBreaker()
            drive(&breaker, (0..<19).map { call(500, at: Double($0)) })
            guard case .tripped(let trip)? = drive(&breaker, [call(429, at: 19, retryAfter: 600)]).first else {
                Issue.record("no trip"); return
            }
            #expect(trip.cooldown == 600)
            #expect(breaker.phase == .open(until: at(619)))
        }
    }
}
