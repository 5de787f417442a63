import Domain
import DomainTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)
private let sixty = RateLimit(rpm: 60)

@Suite struct RateLimitsDeciderTests {
    @Test func set_recordsTheSubjectsLimits() {
        RateLimits.given().when(.set(scope: .key, subject: "k1", limit: sixty, now: t0))
            .then([.limitSet(scope: .key, subject: "k1", limit: sixty, at: t0)])
    }

    @Test func set_theSameLimitsAgain_changesNothing() {
        RateLimits.given(.limitSet(scope: .key, subject: "k1", limit: sixty, at: t0))
            .when(.set(scope: .key, subject: "k1", limit: sixty, now: t0 + 1)).then([])
    }

    @Test func set_otherLimits_replacesThemWhole() {
        let next = RateLimit(tpm: 1_000, concurrent: 2)
        RateLimits.given(.limitSet(scope: .key, subject: "k1", limit: sixty, at: t0))
            .when(.set(scope: .key, subject: "k1", limit: next, now: t0 + 1))
            .then([.limitSet(scope: .key, subject: "k1", limit: next, at: t0 + 1)])
    }

    @Test func set_withNoLimit_isRefused() {
        RateLimits.given().when(.set(scope: .model, subject: "gpt-4o", limit: RateLimit(), now: t0))
            .thenThrows(RateLimitsError.invalid(field: "limits", reason: "must set rpm, tpm or concurrent"))
    }

    @Test(arguments: [
        (RateLimit(rpm: 0), "rpm"), (RateLimit(tpm: -5), "tpm"), (RateLimit(rpm: 1, concurrent: 1_000_000_001), "concurrent"),
    ])
    func set_aLimitOutOfRange_isRefusedNamingIt(limit: RateLimit, field: String) {
        RateLimits.given().when(.set(scope: .user, subject: "u1", limit: limit, now: t0))
            .thenThrows(RateLimitsError.invalid(field: field, reason: "must be in 1...1000000000"))
    }

    @Test func set_aSubjectWithControlCharacters_isRefused() {
        RateLimits.given().when(.set(scope: .user, subject: "u\n1", limit: sixty, now: t0))
            .thenThrows(matching: { if case RateLimitsError.invalid("subject", _) = $0 { true } else { false } })
    }

    @Test func remove_dropsTheSubjectsLimits_andTheScopeDefaultAppliesAgain() {
        let every = RateLimit(rpm: 10)
        let state = RateLimits.fold([
            .limitSet(scope: .key, subject: RateLimits.everySubject, limit: every, at: t0),
            .limitSet(scope: .key, subject: "k1", limit: sixty, at: t0),
        ])
        #expect(state.limit(.key, "k1") == sixty)
        #expect(state.limit(.key, "k2") == every)
        #expect(state.limit(.user, "k1") == nil)
        let events = try? RateLimits.decide(.remove(scope: .key, subject: "k1", now: t0 + 1), state)
        #expect(events == [.limitRemoved(scope: .key, subject: "k1", at: t0 + 1)])
        #expect(RateLimits.evolve(state, events![0]).limit(.key, "k1") == every)
    }

    @Test func remove_aSubjectWithoutLimits_isUnknown() {
        RateLimits.given(.limitSet(scope: .key, subject: "k1", limit: sixty, at: t0))
            .when(.remove(scope: .user, subject: "k1", now: t0))
            .thenThrows(RateLimitsError.unknown(scope: .user, subject: "k1"))
    }

    @Test func events_roundTripThroughTheirSchema() throws {
        let events: [RateLimitsEvent] = [
            .limitSet(scope: .model, subject: "meta/llama-3", limit: RateLimit(rpm: 5, tpm: 9_000, concurrent: 3), at: t0),
            .limitRemoved(scope: .user, subject: "u1", at: t0 + 2),
        ]
        for event in events {
            #expect(try RateLimitsEvent(type: event.type, schemaVersion: event.schemaVersion, json: event.jsonData()) == event)
        }
        #expect(throws: EventCodingError.self) {
            try RateLimitsEvent(type: "RateLimitRemoved", schemaVersion: 1, json: #"{"scope":"channel","subject":"c"}"#)
        }
    }
}
