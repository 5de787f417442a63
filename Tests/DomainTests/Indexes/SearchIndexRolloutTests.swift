import Domain
import DomainTesting
import Foundation
import Testing

private typealias F = IndexFixtures

private func split(_ canary: Int, _ stable: Int = 1, step: Int, at seconds: TimeInterval, by: String = "analysis") -> SearchIndexEvent {
    .trafficShifted(weights: [IndexWeight(version: 2, percent: canary), IndexWeight(version: stable, percent: 100 - canary)],
                    step: step, by: by, at: indexAt(seconds))
}

@Suite struct SearchIndexRolloutTests {
    @Suite("starting") struct Starting {
        @Test func startRollout_shiftsTheFirstStep() {
            SearchIndex.given(F.twoVersions)
                .when(.startRollout(canary: 2, plan: F.plan, by: "key:admin", now: indexAt(100)))
                .then(Array(F.rolling.suffix(2)))
        }

        @Test func startRollout_ofABuildingVersion_isRefused() {
            SearchIndex.given(F.twoVersions + [F.created(3, at: 50)])
                .when(.startRollout(canary: 3, plan: F.plan, by: "key:admin", now: indexAt(100)))
                .thenThrows(SearchIndexError.wrongStatus(version: 3, status: .building))
        }

        @Test func startRollout_withoutAStableVersion_isRefused() {
            SearchIndex.given(F.created(1), F.ready(1))
                .when(.startRollout(canary: 1, plan: F.plan, by: "key:admin", now: indexAt(100)))
                .thenThrows(SearchIndexError.noStableVersion)
        }

        @Test func startRollout_ofTheStableVersion_isRefused() {
            SearchIndex.given(F.twoVersions)
                .when(.startRollout(canary: 1, plan: F.plan, by: "key:admin", now: indexAt(100)))
                .thenThrows(SearchIndexError.invalid(field: "canary", reason: "serves 100 % already"))
        }

        @Test(arguments: [[], [10, 50], [50, 10, 100], [0, 100], [10, 10, 100]])
        func startRollout_withBadSteps_isRefused(steps: [Int]) {
            var plan = F.plan
            plan.steps = steps
            SearchIndex.given(F.twoVersions)
                .when(.startRollout(canary: 2, plan: plan, by: "key:admin", now: indexAt(100)))
                .thenThrows(matching: { if case SearchIndexError.invalid(field: "steps", _) = $0 { true } else { false } })
        }

        @Test func startRollout_whileOneRuns_isRefused() {
            SearchIndex.given(F.rolling + [F.created(3, at: 110), F.ready(3, at: 120)])
                .when(.startRollout(canary: 3, plan: F.plan, by: "key:admin", now: indexAt(130)))
                .thenThrows(SearchIndexError.rolloutRunning(canary: 2))
        }

        @Test func shiftTraffic_byHand_whileARolloutRuns_isRefused() {
            SearchIndex.given(F.rolling)
                .when(.shiftTraffic(weights: [IndexWeight(version: 2, percent: 100)], by: "key:admin", now: indexAt(130)))
                .thenThrows(SearchIndexError.rolloutRunning(canary: 2))
        }
    }

    @Suite("analysis") struct Analysis {
        @Test func analyze_beforeThePausePassed_changesNothing() {
            SearchIndex.given(F.rolling)
                .when(.analyze(canary: F.healthy, stable: F.healthy, now: indexAt(399)))
                .then([])
        }

        @Test func analyze_afterThePause_withHealthyFigures_advances() {
            SearchIndex.given(F.rolling)
                .when(.analyze(canary: F.healthy, stable: F.healthy, now: indexAt(400)))
                .then([split(10, step: 2, at: 400)])
        }

        @Test func analyze_withTooFewSearches_waits() {
            var few = F.healthy
            few.searches = 99
            SearchIndex.given(F.rolling)
                .when(.analyze(canary: few, stable: F.healthy, now: indexAt(10_000)))
                .then([])
        }

        @Test func analyze_atTheLastStep_completesTheRollout() {
            SearchIndex.given(F.rolling + [split(10, step: 2, at: 400), split(50, step: 3, at: 700)])
                .when(.analyze(canary: F.healthy, stable: F.healthy, now: indexAt(1_000)))
                .then([.trafficShifted(weights: [IndexWeight(version: 2, percent: 100)], step: 4, by: "analysis", at: indexAt(1_000)),
                       .rolloutCompleted(canary: 2, previous: 1, by: "analysis", at: indexAt(1_000))])
        }

        @Test func analyze_withTheCanaryErrorRateOverItsBound_rollsBackWithTheFigures() {
            let failing = VersionFigures(searches: 1_000, errors: 40, p99LatencyMs: 40, feedback: 100, positiveFeedback: 80)
            SearchIndex.given(F.rolling)
                .when(.analyze(canary: failing, stable: F.healthy, now: indexAt(150)))
                .then([.rolledBack(RollbackRecord(
                    canary: 2, restored: 1, trigger: .automatic,
                    failedBounds: ["error rate 0.04 against 0.002: more than 0.01 above"],
                    canaryFigures: failing, stableFigures: F.healthy, by: "analysis", at: indexAt(150)))])
        }

        @Test func analyze_withSlowCanary_andPoorFeedback_namesBothBounds() {
            let failing = VersionFigures(searches: 1_000, errors: 2, p99LatencyMs: 80, feedback: 100, positiveFeedback: 50)
            let outcome = try? SearchIndex.decide(.analyze(canary: failing, stable: F.healthy, now: indexAt(150)),
                                                  SearchIndex.fold(F.rolling))
            guard case .rolledBack(let record)? = outcome?.first else { Issue.record("no rollback: \(String(describing: outcome))"); return }
            #expect(record.failedBounds == ["p99 latency 80.0 ms against 40.0 ms: more than 1.5×",
                                            "positive feedback 0.5 against 0.8: less than 0.9×"])
        }

        @Test func analyze_whilePaused_stillRollsBack_butDoesNotAdvance() {
            let paused = F.rolling + [.rolloutPaused(canary: 2, by: "key:admin", at: indexAt(110))]
            SearchIndex.given(paused)
                .when(.analyze(canary: F.healthy, stable: F.healthy, now: indexAt(1_000)))
                .then([])
            let failing = VersionFigures(searches: 1_000, errors: 100, p99LatencyMs: 40)
            let events = try? SearchIndex.decide(.analyze(canary: failing, stable: F.healthy, now: indexAt(1_000)),
                                                 SearchIndex.fold(paused))
            guard case .rolledBack(let record)? = events?.first else { Issue.record("no rollback: \(String(describing: events))"); return }
            #expect(record.trigger == .automatic && record.restored == 1)
        }

        @Test func analyze_withoutARollout_changesNothing() {
            SearchIndex.given(F.twoVersions)
                .when(.analyze(canary: F.healthy, stable: F.healthy, now: indexAt(1_000)))
                .then([])
        }

        @Test func resume_restartsThePause() {
            let resumed = F.rolling + [.rolloutPaused(canary: 2, by: "key:admin", at: indexAt(110)),
                                       .rolloutResumed(canary: 2, by: "key:admin", at: indexAt(500))]
            SearchIndex.given(resumed)
                .when(.analyze(canary: F.healthy, stable: F.healthy, now: indexAt(700)))
                .then([])
            SearchIndex.given(resumed)
                .when(.analyze(canary: F.healthy, stable: F.healthy, now: indexAt(800)))
                .then([split(10, step: 2, at: 800)])
        }
    }

    @Suite("evaluation") struct Evaluation {
        @Test func evaluation_ofTheCanaryBelowItsRecallBound_rollsBack() {
            let stable = SearchIndexEvent.evaluationRecorded(version: 1, F.evaluation(recall: 0.96, at: 50))
            let poor = F.evaluation(recall: 0.90, at: 200)
            SearchIndex.given(F.rolling + [stable])
                .when(.recordEvaluation(version: 2, poor))
                .then([.evaluationRecorded(version: 2, poor),
                       .rolledBack(RollbackRecord(canary: 2, restored: 1, trigger: .automatic,
                                                  failedBounds: ["recall@10 0.9 against 0.96: more than 0.02 below"],
                                                  by: "evaluation", at: indexAt(200)))])
        }

        @Test func evaluation_withinTheBound_isOnlyRecorded() {
            let stable = SearchIndexEvent.evaluationRecorded(version: 1, F.evaluation(recall: 0.96, at: 50))
            let fine = F.evaluation(recall: 0.95, at: 200)
            SearchIndex.given(F.rolling + [stable])
                .when(.recordEvaluation(version: 2, fine))
                .then([.evaluationRecorded(version: 2, fine)])
        }

        @Test func anEvaluationWithinItsBound_letsTheStepAdvance() {
            let events = F.rolling + [.evaluationRecorded(version: 1, F.evaluation(recall: 0.96, at: 50)),
                                      .evaluationRecorded(version: 2, F.evaluation(recall: 0.95, at: 60))]
            SearchIndex.given(events)
                .when(.analyze(canary: F.healthy, stable: F.healthy, now: indexAt(400)))
                .then([split(10, step: 2, at: 400)])
        }

        @Test(arguments: [-0.1, 1.1, Double.nan])
        func evaluation_withARecallOutOfRange_isRefused(recall: Double) {
            SearchIndex.given(F.twoVersions)
                .when(.recordEvaluation(version: 2, F.evaluation(recall: recall)))
                .thenThrows(matching: { if case SearchIndexError.invalid(field: "recall_at_k", _) = $0 { true } else { false } })
        }
    }

    @Suite("by hand") struct ByHand {
        @Test func promote_takesTheCanaryTo100() {
            SearchIndex.given(F.rolling)
                .when(.promote(by: "key:admin", now: indexAt(120)))
                .then([.trafficShifted(weights: [IndexWeight(version: 2, percent: 100)], step: 4, by: "key:admin", at: indexAt(120)),
                       .rolloutCompleted(canary: 2, previous: 1, by: "key:admin", at: indexAt(120))])
        }

        @Test func abort_rollsBackToTheStableVersion() {
            SearchIndex.given(F.rolling + [split(10, step: 2, at: 400)])
                .when(.abort(reason: "odd answers", by: "key:admin", now: indexAt(450)))
                .then([.rolledBack(RollbackRecord(canary: 2, restored: 1, trigger: .manual, reason: "odd answers",
                                                  by: "key:admin", at: indexAt(450)))])
        }

        @Test func abort_thenState_servesTheStableVersionAlone() {
            SearchIndex.given(F.rolling)
                .when(.abort(reason: "odd answers", by: "key:admin", now: indexAt(450)))
                .thenState({
                    var state = SearchIndex.fold(F.twoVersions)
                    state.stable = 1
                    return state
                }())
        }

        @Test func pause_twice_changesNothing() {
            SearchIndex.given(F.rolling + [.rolloutPaused(canary: 2, by: "key:admin", at: indexAt(110))])
                .when(.pause(by: "key:admin", now: indexAt(120)))
                .then([])
        }

        @Test func promote_withoutARollout_isRefused() {
            SearchIndex.given(F.twoVersions).when(.promote(by: "key:admin", now: indexAt(120))).thenThrows(SearchIndexError.noRollout)
        }

        @Test func deprecate_theCanary_isRefused() {
            SearchIndex.given(F.rolling)
                .when(.deprecate(version: 2, reason: "no", now: indexAt(120)))
                .thenThrows(SearchIndexError.serving(version: 2))
        }
    }
}
