import Domain
import DomainTesting
import Foundation
import Testing

/// The breakers as the channel's decider runs them: which events a report writes, and that
/// folding them gives the state deciding saw.
@Suite struct ChannelBreakerDeciderTests {
    @Suite("closed") struct Closed {
        @Test func failuresBelowTheMinimumOfCalls_areOnlyRecorded() {
            Channel.given(createdChannel()).when(.recordOutcomes(outcomes(19, 500), now: channelT0))
                .then([.outcomesRecorded(outcomes(19, 500), at: channelT0)])
        }

        @Test func theCallThatReachesTheMinimumAtTheRate_tripsIt_andTheReportIsSplitThere() {
            let report = outcomes(20, 500) + outcomes(2, 200, first: 21)
            Channel.given(createdChannel()).when(.recordOutcomes(report, now: channelT0)).then([
                .outcomesRecorded(outcomes(20, 500), at: channelT0),
                .tripped(model: nil, trip(.failureRate, calls: 20, failures: 20, by: "r20", status: 500)),
                .outcomesRecorded(outcomes(2, 200, first: 21), at: channelT0),
            ])
        }

        @Test func aRateBelowTheBound_doesNotTrip() {
            let report = outcomes(11, 200) + outcomes(9, 500, first: 12)
            Channel.given(createdChannel()).when(.recordOutcomes(report, now: channelT0))
                .then([.outcomesRecorded(report, at: channelT0)])
        }

        @Test func outcomesThatLeftTheWindow_countForNothing() throws {
            let history = try decided(createdChannel(), [.recordOutcomes(outcomes(19, 500), now: channelT0)])
            Channel.given(history).when(.recordOutcomes([outcome("r20", 500, at: 70)], now: channelAt(70)))
                .then([.outcomesRecorded([outcome("r20", 500, at: 70)], at: channelAt(70))])
        }

        @Test func aFatalErrorOnTheLastUsableKey_tripsAtOnce() {
            let report = [outcome("r1", 401, errorType: "invalid_api_key")]
            Channel.given(createdChannel(keys: ["k1"])).when(.recordOutcomes(report, now: channelT0)).then([
                .outcomesRecorded(report, at: channelT0),
                .tripped(model: nil, trip(.fatalError, calls: 1, failures: 1, by: "r1", status: 401, errorType: "invalid_api_key")),
            ])
        }

        @Test func aFatalErrorWhileOtherKeysWork_setsTheKeyAsideAlone() {
            let report = [outcome("r1", 200, errorType: "insufficient_quota")]
            Channel.given(createdChannel()).when(.recordOutcomes(report, now: channelT0)).then([
                .outcomesRecorded(report, at: channelT0),
                .keyDisabled(KeyAside(keyID: "k1", requestID: "r1", status: 200, errorType: "insufficient_quota", asidesInARow: 1,
                                      at: channelT0, until: channelAt(30))),
            ])
        }

        @Test func aKeySetAside_comesBackAfterItsTime_andIsSetAsideTwiceAsLongNext() throws {
            let history = try decided(createdChannel(), [.recordOutcomes([outcome("r1", 401)], now: channelT0)])
            let state = Channel.fold(history)
            #expect(state.key("k1")?.isUsable(at: channelAt(29)) == false)
            #expect(state.key("k1")?.isUsable(at: channelAt(30)) == true)
            #expect(state.breaker.phase == .closed)
            Channel.given(history).when(.recordOutcomes([outcome("r2", 401, at: 40)], now: channelAt(40))).then([
                .outcomesRecorded([outcome("r2", 401, at: 40)], at: channelAt(40)),
                .keyDisabled(KeyAside(keyID: "k1", requestID: "r2", status: 401, errorType: "", asidesInARow: 2, at: channelAt(40),
                                      until: channelAt(100))),
            ])
        }

        @Test func aSuccessOfAKey_resetsItsTimeAside() throws {
            let history = try decided(createdChannel(), [
                .recordOutcomes([outcome("r1", 401)], now: channelT0),
                .recordOutcomes([outcome("r2", 200, at: 31)], now: channelAt(31)),
            ])
            #expect(Channel.fold(history).key("k1")?.asidesInARow == 0)
        }

        @Test func aFatalErrorOfAKeyAlreadyAside_saysNothingOfTheChannel() throws {
            let history = try decided(createdChannel(keys: ["k1", "k2"]), [.recordOutcomes([outcome("r1", 401)], now: channelT0)])
            Channel.given(history).when(.recordOutcomes([outcome("r2", 401, at: 1)], now: channelAt(1)))
                .then([.outcomesRecorded([outcome("r2", 401, at: 1)], at: channelAt(1))])
        }

        @Test func aRetryAfterLongerThanTheCooldown_isHonoured() {
            let report = outcomes(19, 500) + [outcome("r20", 429, retryAfter: 120)]
            Channel.given(createdChannel()).when(.recordOutcomes(report, now: channelT0)).then([
                .outcomesRecorded(report, at: channelT0),
                .tripped(model: nil, trip(.failureRate, calls: 20, failures: 20, by: "r20", status: 429, cooldown: 120)),
            ])
        }

        @Test func outcomesOfADisabledChannel_areRecordedButCountForNothing() {
            let history = createdChannel() + [.disabled(by: "admin", reason: "maintenance", at: channelT0)]
            Channel.given(history).when(.recordOutcomes(outcomes(25, 500), now: channelT0))
                .then([.outcomesRecorded(outcomes(25, 500), at: channelT0)])
        }
    }

    @Suite("one model failing alone") struct ModelAlone {
        /// b succeeds, a fails, in turn.
        static let alternating = (1...20).map { $0.isMultiple(of: 2) ? outcome("r\($0)", 500, model: "a") : outcome("r\($0)", 200, model: "b") }

        @Test func whenEveryFailureIsOneModels_thatModelTrips_notTheChannel() throws {
            Channel.given(createdChannel()).when(.recordOutcomes(Self.alternating, now: channelT0)).then([
                .outcomesRecorded(Self.alternating, at: channelT0),
                .tripped(model: "a", trip(.failureRate, calls: 10, failures: 10, by: "r20", status: 500)),
            ])
            let state = Channel.fold(try decided(createdChannel(), [.recordOutcomes(Self.alternating, now: channelT0)]))
            #expect(state.breaker.phase == .closed)
            #expect(state.breaker.window.totals(window: 60, now: channelT0) == .init(calls: 10, failures: 0))
        }

        @Test func itsOwnRateTripsIt_whileTheChannelsStaysLow() {
            let report = (1...100).map { $0.isMultiple(of: 5) ? outcome("r\($0)", 500, model: "a") : outcome("r\($0)", 200, model: "b") }
            Channel.given(createdChannel()).when(.recordOutcomes(report, now: channelT0)).then([
                .outcomesRecorded(report, at: channelT0),
                .tripped(model: "a", trip(.failureRate, calls: 20, failures: 20, by: "r100", status: 500)),
            ])
        }

        @Test func failuresOfTwoModels_tripTheChannel() {
            let report = (1...20).map { outcome("r\($0)", $0.isMultiple(of: 2) ? 500 : 200, model: $0 % 4 == 0 ? "a" : "b") }
            Channel.given(createdChannel()).when(.recordOutcomes(report, now: channelT0)).then([
                .outcomesRecorded(report, at: channelT0),
                .tripped(model: nil, trip(.failureRate, calls: 20, failures: 10, by: "r20", status: 500)),
            ])
        }

        @Test func aModelsOpenBreaker_takesItsOutcomes_andTheChannelsStaysClosed() throws {
            let history = try decided(createdChannel(), [.recordOutcomes(Self.alternating, now: channelT0)])
            let late = outcomes(30, 500, model: "a", first: 100)
            Channel.given(history).when(.recordOutcomes(late, now: channelAt(1))).then([.outcomesRecorded(late, at: channelAt(1))])
        }
    }

    @Suite("open and half-open") struct Probes {
        static let tripped = createdChannel(keys: ["k1"]) + [
            .outcomesRecorded([outcome("r1", 401)], at: channelT0),
            .tripped(model: nil, trip(.fatalError, calls: 1, failures: 1, by: "r1", status: 401)),
        ]

        @Test func aClosedBreaker_needsNoProbe() {
            Channel.given(createdChannel()).when(.claimProbe(model: nil, requestID: "p1", now: channelT0)).then([])
        }

        @Test func aModelsProbe_isRefusedWhileTheChannelsBreakerIsOpen() {
            Channel.given(Self.tripped).when(.claimProbe(model: "a", requestID: "p1", now: channelAt(40)))
                .thenThrows(ChannelError.noProbeSlot(model: nil, until: channelAt(30)))
        }

        @Test func aSlotWhoseOutcomeNeverCame_isClaimedAnewWhenAskedAgain() throws {
            let history = try decided(Self.tripped, [
                .claimProbe(model: nil, requestID: "p1", now: channelAt(30)), .claimProbe(model: nil, requestID: "p2", now: channelAt(30)),
            ])
            Channel.given(history).when(.claimProbe(model: nil, requestID: "p1", now: channelAt(89))).then([])
            Channel.given(history).when(.claimProbe(model: nil, requestID: "p1", now: channelAt(90)))
                .then([.probeClaimed(model: nil, requestID: "p1", at: channelAt(90))])
        }

        @Test func beforeTheCooldownEnds_noProbe() {
            Channel.given(Self.tripped).when(.claimProbe(model: nil, requestID: "p1", now: channelAt(29)))
                .thenThrows(ChannelError.noProbeSlot(model: nil, until: channelAt(30)))
        }

        @Test func afterTheCooldown_theFirstClaimHalfOpensIt() {
            Channel.given(Self.tripped).when(.claimProbe(model: nil, requestID: "p1", now: channelAt(30))).then([
                .halfOpened(model: nil, at: channelAt(30)), .probeClaimed(model: nil, requestID: "p1", at: channelAt(30)),
            ])
        }

        @Test func exactlyThePolicysProbes_areHandedOut() throws {
            let history = try decided(Self.tripped, [
                .claimProbe(model: nil, requestID: "p1", now: channelAt(30)), .claimProbe(model: nil, requestID: "p2", now: channelAt(31)),
            ])
            Channel.given(history).when(.claimProbe(model: nil, requestID: "p3", now: channelAt(32)))
                .thenThrows(ChannelError.noProbeSlot(model: nil, until: nil))
            Channel.given(history).when(.claimProbe(model: nil, requestID: "p2", now: channelAt(32))).then([])
            Channel.given(history).when(.claimProbe(model: nil, requestID: "p3", now: channelAt(90)))
                .then([.probeClaimed(model: nil, requestID: "p3", at: channelAt(90))])
        }

        @Test func everyProbeSucceeding_recoversIt_withNoManualStep() throws {
            let history = try decided(Self.tripped, [
                .claimProbe(model: nil, requestID: "p1", now: channelAt(30)), .claimProbe(model: nil, requestID: "p2", now: channelAt(30)),
                .recordOutcomes([outcome("p1", 200, at: 31)], now: channelAt(31)),
            ])
            Channel.given(history).when(.recordOutcomes([outcome("p2", 200, at: 32)], now: channelAt(32))).then([
                .outcomesRecorded([outcome("p2", 200, at: 32)], at: channelAt(32)), .recovered(model: nil, probes: 2, at: channelAt(32)),
            ])
            let recovered = try decided(history, [.recordOutcomes([outcome("p2", 200, at: 32)], now: channelAt(32))])
            #expect(Channel.fold(recovered).breaker == CircuitBreaker())
        }

        @Test func aFailedProbe_opensItAgainForTwiceAsLong() throws {
            let history = try decided(Self.tripped, [.claimProbe(model: nil, requestID: "p1", now: channelAt(30))])
            Channel.given(history).when(.recordOutcomes([outcome("p1", 503, at: 31)], now: channelAt(31))).then([
                .outcomesRecorded([outcome("p1", 503, at: 31)], at: channelAt(31)),
                .tripped(model: nil, trip(.probeFailed, calls: 1, failures: 1, by: "p1", status: 503, trips: 2, cooldown: 60, at: 31)),
            ])
        }

        @Test func outcomesThatAreNotProbes_countForNothingWhileHalfOpen() throws {
            let history = try decided(Self.tripped, [.claimProbe(model: nil, requestID: "p1", now: channelAt(30))])
            Channel.given(history).when(.recordOutcomes(outcomes(30, 500, first: 100, at: 31), now: channelAt(31)))
                .then([.outcomesRecorded(outcomes(30, 500, first: 100, at: 31), at: channelAt(31))])
        }

        @Test func aModelsBreaker_isProbedOnItsOwn() throws {
            let history = try decided(createdChannel(), [.recordOutcomes(ModelAlone.alternating, now: channelT0)])
            Channel.given(history).when(.claimProbe(model: "a", requestID: "p1", now: channelAt(30))).then([
                .halfOpened(model: "a", at: channelAt(30)), .probeClaimed(model: "a", requestID: "p1", at: channelAt(30)),
            ])
            Channel.given(history).when(.claimProbe(model: "zz", requestID: "p1", now: channelAt(30)))
                .thenThrows(ChannelError.invalid(field: "model", reason: "is not served by the channel"))
        }

        @Test func reachingTheTripsBound_disablesTheChannel_untilAnOperatorEnablesIt() throws {
            var policy = channelPolicy
            policy.disableAfterTrips = 2
            let history = try decided(createdChannel(policy, keys: ["k1"]), [
                .recordOutcomes([outcome("r1", 401)], now: channelT0), .claimProbe(model: nil, requestID: "p1", now: channelAt(30)),
            ])
            Channel.given(history).when(.recordOutcomes([outcome("p1", 401, at: 31)], now: channelAt(31))).then([
                .outcomesRecorded([outcome("p1", 401, at: 31)], at: channelAt(31)),
                .tripped(model: nil, trip(.probeFailed, calls: 1, failures: 1, by: "p1", status: 401, trips: 2, cooldown: 60, at: 31)),
                .autoDisabled(tripsInARow: 2, at: channelAt(31)),
            ])
            let disabled = try decided(history, [.recordOutcomes([outcome("p1", 401, at: 31)], now: channelAt(31))])
            Channel.given(disabled).when(.claimProbe(model: nil, requestID: "p2", now: channelAt(200))).thenThrows(ChannelError.disabled)
            let enabled = Channel.fold(disabled + [.enabled(by: "admin", at: channelAt(200))])
            #expect(enabled.status == .enabled)
            #expect(enabled.breaker == CircuitBreaker())
            // Disabled by an operator meanwhile: enabling still starts the breakers closed.
            let switched = Channel.fold(disabled + [.disabled(by: "admin", reason: "checking", at: channelAt(100)),
                                                    .enabled(by: "admin", at: channelAt(200))])
            #expect(switched.breaker == CircuitBreaker())
            let manual = Channel.fold(Self.tripped + [.disabled(by: "admin", reason: "x", at: channelAt(1)),
                                                      .enabled(by: "admin", at: channelAt(2))])
            #expect(manual.breaker != CircuitBreaker(), "a manual switch leaves the breaker as it was")
        }

        @Test func anotherWindowWidth_emptiesTheWindows() throws {
            let history = try decided(createdChannel(), [.recordOutcomes(outcomes(19, 500), now: channelT0)])
            var spec = channelSpec()
            spec.breaker.window = 3_600
            let updated = Channel.fold(history + [.updated(spec: spec, by: "admin", at: channelAt(1))])
            #expect(updated.breaker.window.totals(window: 3_600, now: channelAt(1)) == .init())
            Channel.given(history + [.updated(spec: spec, by: "admin", at: channelAt(1))])
                .when(.recordOutcomes([outcome("r20", 500, at: 2)], now: channelAt(2)))
                .then([.outcomesRecorded([outcome("r20", 500, at: 2)], at: channelAt(2))])
        }
    }
}
