import Domain
import DomainTesting
import Foundation
import Testing

@Suite struct ChannelLifecycleTests {
    @Suite("a channel never created") struct Unknown {
        @Test func create_recordsItEnabled() {
            Channel.given().when(.create(id: "c1", spec: channelSpec(), by: "admin", now: channelT0))
                .then([.created(id: "c1", spec: channelSpec(), by: "admin", at: channelT0)])
        }

        @Test func create_withABadSpec_isRefusedNamingTheField() {
            var spec = channelSpec()
            spec.weight = 0
            Channel.given().when(.create(id: "c1", spec: spec, by: "admin", now: channelT0))
                .thenThrows(ChannelError.invalid(field: "weight", reason: "must be in 1...10000"))
        }

        @Test func create_withABadID_isRefused() {
            Channel.given().when(.create(id: "c 1", spec: channelSpec(), by: "admin", now: channelT0))
                .thenThrows(matching: { if case ChannelError.invalid("id", _) = $0 { true } else { false } })
        }

        @Test func everyOtherCommand_isUnknown() {
            let commands: [ChannelCommand] = [
                .update(spec: channelSpec(), by: "admin", now: channelT0), .enable(by: "admin", now: channelT0),
                .disable(by: "admin", reason: "maintenance", now: channelT0), .delete(by: "admin", now: channelT0),
                .addKey(id: "k1", secret: .reference("env:K1"), by: "admin", now: channelT0),
                .drainKey(id: "k1", by: "admin", now: channelT0), .recordOutcomes([outcome("r1", 200)], now: channelT0),
                .claimProbe(model: nil, requestID: "p1", now: channelT0),
            ]
            for command in commands { Channel.given().when(command).thenThrows(ChannelError.unknown) }
        }
    }

    @Suite("a channel created") struct Created {
        @Test func create_withTheSameSpec_changesNothing() {
            Channel.given(createdChannel()).when(.create(id: "c1", spec: channelSpec(), by: "admin", now: channelAt(5))).then([])
        }

        @Test func create_withAnotherSpec_isRefused() {
            var spec = channelSpec()
            spec.weight = 5
            Channel.given(createdChannel()).when(.create(id: "c1", spec: spec, by: "admin", now: channelAt(5)))
                .thenThrows(ChannelError.exists)
        }

        @Test func update_replacesTheSpec_andTheSameAgainChangesNothing() {
            var spec = channelSpec()
            spec.priority = 10
            Channel.given(createdChannel()).when(.update(spec: spec, by: "admin", now: channelAt(5)))
                .then([.updated(spec: spec, by: "admin", at: channelAt(5))])
            Channel.given(createdChannel() + [.updated(spec: spec, by: "admin", at: channelAt(5))])
                .when(.update(spec: spec, by: "admin", now: channelAt(6))).then([])
        }

        @Test func disable_thenEnable_andEachTwice() {
            let disabled = ChannelEvent.disabled(by: "admin", reason: "maintenance", at: channelAt(5))
            Channel.given(createdChannel()).when(.disable(by: "admin", reason: "maintenance", now: channelAt(5))).then([disabled])
            Channel.given(createdChannel() + [disabled]).when(.disable(by: "admin", reason: "again", now: channelAt(6))).then([])
            Channel.given(createdChannel() + [disabled]).when(.enable(by: "admin", now: channelAt(7)))
                .then([.enabled(by: "admin", at: channelAt(7))])
            Channel.given(createdChannel()).when(.enable(by: "admin", now: channelAt(7))).then([])
        }

        @Test func disable_withoutAReason_isRefused() {
            Channel.given(createdChannel()).when(.disable(by: "admin", reason: " ", now: channelAt(5)))
                .thenThrows(ChannelError.invalid(field: "reason", reason: "must not be empty"))
        }

        @Test func delete_thenEveryCommandButDelete_isRefused() {
            let deleted = createdChannel() + [.deleted(by: "admin", at: channelAt(5))]
            Channel.given(createdChannel()).when(.delete(by: "admin", now: channelAt(5))).then([.deleted(by: "admin", at: channelAt(5))])
            Channel.given(deleted).when(.delete(by: "admin", now: channelAt(6))).then([])
            Channel.given(deleted).when(.update(spec: channelSpec(), by: "admin", now: channelAt(6))).thenThrows(ChannelError.deleted)
            Channel.given(deleted).when(.create(id: "c1", spec: channelSpec(), by: "admin", now: channelAt(6))).thenThrows(ChannelError.deleted)
            Channel.given(deleted).when(.recordOutcomes([outcome("r1", 200)], now: channelAt(6))).thenThrows(ChannelError.deleted)
        }

        @Test func updateDroppingAModel_dropsItsBreaker() throws {
            let history = try decided(createdChannel(), [.recordOutcomes(outcomes(1, 500, model: "b"), now: channelT0)])
            #expect(Channel.fold(history).modelBreakers["b"] != nil)
            var spec = channelSpec()
            spec.models = [ChannelModel(name: "a")]
            let state = Channel.fold(history + [.updated(spec: spec, by: "admin", at: channelAt(1))])
            #expect(state.modelBreakers["b"] == nil)
        }
    }

    @Suite("its upstream keys") struct Keys {
        @Test func addKey_addsItActive_andTheSameAgainChangesNothing() {
            Channel.given(createdChannel(keys: [])).when(.addKey(id: "k1", secret: .reference("env:K1"), by: "admin", now: channelT0))
                .then([.keyAdded(channelKey("k1"))])
            Channel.given(createdChannel()).when(.addKey(id: "k1", secret: .reference("env:K1"), by: "admin", now: channelAt(5))).then([])
        }

        @Test func addKey_withAnotherSecret_isRefused() {
            Channel.given(createdChannel()).when(.addKey(id: "k1", secret: .reference("env:OTHER"), by: "admin", now: channelAt(5)))
                .thenThrows(ChannelError.keyExists("k1"))
        }

        @Test func addKey_withASealedSecretThatIsNotBase64_isRefused() {
            Channel.given(createdChannel()).when(.addKey(id: "k3", secret: .sealed("not base64!"), by: "admin", now: channelAt(5)))
                .thenThrows(matching: { if case ChannelError.invalid("secret", _) = $0 { true } else { false } })
        }

        @Test func rotation_drainsThenRetires_andARetiredKeyStaysRetired() {
            let drained = createdChannel() + [.keyDraining(keyID: "k1", by: "admin", at: channelAt(5))]
            Channel.given(createdChannel()).when(.drainKey(id: "k1", by: "admin", now: channelAt(5)))
                .then([.keyDraining(keyID: "k1", by: "admin", at: channelAt(5))])
            Channel.given(drained).when(.drainKey(id: "k1", by: "admin", now: channelAt(6))).then([])
            Channel.given(drained).when(.retireKey(id: "k1", by: "admin", now: channelAt(6)))
                .then([.keyRetired(keyID: "k1", by: "admin", at: channelAt(6))])
            let retired = drained + [.keyRetired(keyID: "k1", by: "admin", at: channelAt(6))]
            Channel.given(retired).when(.drainKey(id: "k1", by: "admin", now: channelAt(7)))
                .thenThrows(ChannelError.keyStatus(id: "k1", status: .retired))
            #expect(Channel.fold(retired).key("k1")?.isUsable(at: channelAt(7)) == false)
            #expect(Channel.fold(retired).key("k2")?.isUsable(at: channelAt(7)) == true)
        }

        @Test func addingARetiredKeyAgain_isRefused_andTheKeysAreBounded() {
            let retired = createdChannel() + [.keyRetired(keyID: "k1", by: "admin", at: channelAt(5))]
            Channel.given(retired).when(.addKey(id: "k1", secret: .reference("env:K1"), by: "admin", now: channelAt(6)))
                .thenThrows(ChannelError.keyStatus(id: "k1", status: .retired))
            let full = createdChannel(keys: (1...Channel.maximumKeys).map { "k\($0)" })
            Channel.given(full).when(.addKey(id: "k-new", secret: .reference("env:NEW"), by: "admin", now: channelAt(6)))
                .thenThrows(ChannelError.tooManyKeys(limit: Channel.maximumKeys))
        }

        @Test func drainingAnUnknownKey_isRefused() {
            Channel.given(createdChannel()).when(.drainKey(id: "k9", by: "admin", now: channelAt(5)))
                .thenThrows(ChannelError.unknownKey("k9"))
        }
    }

    @Suite("outcome reports") struct Reports {
        @Test func outcomes_areRecordedOncePerRequestID() {
            let first = outcomes(3, 200)
            Channel.given(createdChannel()).when(.recordOutcomes(first + [first[0]], now: channelAt(1)))
                .then([.outcomesRecorded(first, at: channelAt(1))])
            Channel.given(createdChannel() + [.outcomesRecorded(first, at: channelAt(1))])
                .when(.recordOutcomes(first + outcomes(1, 200, first: 4), now: channelAt(2)))
                .then([.outcomesRecorded(outcomes(1, 200, first: 4), at: channelAt(2))])
        }

        @Test func badOutcomes_areRefusedNamingTheField_andNothingIsRecorded() {
            let now = channelAt(4_000)
            let bad: [(CallOutcome, String)] = [
                (outcome("r1", 200, key: "k9", at: 4_000), "outcomes[0].key_id"),
                (outcome("", 200, at: 4_000), "outcomes[0].request_id"),
                (outcome("r1", 200, model: "", at: 4_000), "outcomes[0].model"),
                (outcome("r1", 700, at: 4_000), "outcomes[0].status"),
                (outcome("r1", 200, at: 4_000 - 3_601), "outcomes[0].at"),
                (outcome("r1", 200, at: 4_000 + 301), "outcomes[0].at"),
                (outcome("r1", 429, at: 4_000, retryAfter: -1), "outcomes[0].retry_after"),
            ]
            for (outcome, field) in bad {
                Channel.given(createdChannel()).when(.recordOutcomes([outcome], now: now))
                    .thenThrows(matching: { if case ChannelError.invalid(field, _) = $0 { true } else { false } })
            }
            Channel.given(createdChannel()).when(.recordOutcomes([], now: now))
                .thenThrows(ChannelError.invalid(field: "outcomes", reason: "must hold 1-1000 outcomes"))
            Channel.given(createdChannel()).when(.recordOutcomes(outcomes(1_001, 200, at: 4_000), now: now))
                .thenThrows(ChannelError.invalid(field: "outcomes", reason: "must hold 1-1000 outcomes"))
        }

        @Test func rememberedRequests_areBounded_forgettingTheOldestFirst() {
            var recent = RecentRequests(capacity: 3)
            for id in ["a", "b", "c", "d"] { recent.insert(id) }
            #expect(recent.count == 3)
            #expect(!recent.contains("a"))
            #expect(recent.contains("b") && recent.contains("d"))
        }
    }
}
