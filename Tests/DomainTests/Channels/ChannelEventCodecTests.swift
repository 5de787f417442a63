import Domain
import Foundation
import Testing

@Suite struct ChannelEventCodecTests {
    static let everyKind: [ChannelEvent] = {
        var spec = channelSpec()
        spec.groups = ["pro"]
        spec.costs = ["a": ModelPrice(inputPer1K: 150, outputPer1K: 600, cachedPer1K: 75)]
        spec.limits = RateLimit(rpm: 600, tpm: 90_000, concurrent: 8)
        spec.models = [ChannelModel(name: "a", upstreamName: "gpt-4o-2024-08-06"), ChannelModel(name: "b")]
        spec.breaker.fatalKeywords = ["suspended"]
        spec.breaker.disableAfterTrips = 5
        return [
            .created(id: "c1", spec: spec, by: "admin", at: channelT0),
            .updated(spec: channelSpec(), by: "admin", at: channelAt(1)),
            .enabled(by: "admin", at: channelAt(2)),
            .disabled(by: "admin", reason: "maintenance", at: channelAt(3)),
            .autoDisabled(tripsInARow: 5, at: channelAt(4)),
            .deleted(by: "admin", at: channelAt(5)),
            .keyAdded(channelKey("k1")),
            .keyAdded(ChannelKey(id: "k2", secret: .sealed("AAECAw=="), addedBy: "admin", addedAt: channelT0)),
            .keyDraining(keyID: "k1", by: "admin", at: channelAt(6)),
            .keyRetired(keyID: "k1", by: "admin", at: channelAt(7)),
            .keyDisabled(KeyAside(keyID: "k2", requestID: "r1", status: 401, errorType: "invalid_api_key", asidesInARow: 2,
                                  at: channelAt(8), until: channelAt(68))),
            .outcomesRecorded([outcome("r2", 429, retryAfter: 1.5), outcome("r3", 0, model: "b", at: 1)], at: channelAt(9)),
            .outcomesRecorded([{
                var used = outcome("r4", 200)
                used.usage = TokenUsage(prompt: 1_200, completion: 300, cached: 1_000)
                return used
            }()], at: channelAt(9)),
            .tripped(model: nil, trip(.failureRate, calls: 20, failures: 12, by: "r3", status: 0, at: 9)),
            .tripped(model: "a", trip(.probeFailed, calls: 1, failures: 1, by: "p1", status: 503, trips: 3, cooldown: 120, at: 10)),
            .halfOpened(model: "a", at: channelAt(11)),
            .probeClaimed(model: nil, requestID: "p2", at: channelAt(12)),
            .recovered(model: "b", probes: 3, at: channelAt(13)),
        ]
    }()

    @Test func everyKind_comesBackAsItWasWritten() throws {
        for event in Self.everyKind {
            let decoded = try ChannelEvent(type: event.type, schemaVersion: event.schemaVersion, json: try event.jsonData())
            #expect(decoded == event)
        }
        #expect(Set(Self.everyKind.map(\.type)) == ChannelEvent.typeNames)
    }

    @Test func aSecretIsStoredSealedOrAsAReference_neverBoth() throws {
        let json = try ChannelEvent.keyAdded(channelKey("k1")).jsonData()
        #expect(json.contains("\"reference\":\"env:K1\""))
        #expect(!json.contains("sealed"))
    }
}
