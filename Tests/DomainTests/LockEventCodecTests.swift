import Domain
import Foundation
import Testing

@Suite struct LockEventCodecTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000.25)
    static let hash = String(repeating: "ab", count: 32)
    static let events: [LockEvent] = [
        .acquired(LockGrant(token: 3, owner: "ci-7", ownerTokenSHA256: hash, since: t0,
                            expiresAt: Date(timeIntervalSince1970: 1_800_000_030.5), waiterID: "w-1")),
        .acquired(LockGrant(token: 1, owner: "user:alice", ownerTokenSHA256: hash, since: t0, expiresAt: t0 + 30)),
        .renewed(token: 3, owner: "ci-7", at: t0, expiresAt: t0 + 60),
        .released(token: 3, owner: "ci \"7\" ☃", at: Date(timeIntervalSince1970: 1_800_000_001)),
        .forceReleased(token: 4, owner: "ci-8", by: "key:admin", reason: "stuck deploy", at: t0),
        .expired(token: 5, owner: "ci-9", at: t0),
        .queued(LockWaiter(id: "w-2", owner: "ci-10", ownerTokenSHA256: hash, ttl: 12.5, queuedAt: t0, giveUpAt: t0 + 5)),
        .leftQueue(waiterID: "w-2", owner: "ci-10", at: t0),
    ]

    @Test func everyKind_isCovered() {
        #expect(Set(Self.events.map(\.kind)) == Set(LockEvent.Kind.allCases))
    }

    @Test(arguments: events)
    func event_roundTripsThroughProto3JSON(event: LockEvent) throws {
        let json = try event.jsonData()
        #expect(try LockEvent(type: event.type, schemaVersion: event.schemaVersion, json: json) == event)
    }

    @Test func acquired_encodesProto3JSONFieldNamesAndTimestamps() throws {
        let json = try Self.events[0].jsonData()
        #expect(json.contains("\"expiresAt\":\"2027-01-15T08:00:30.500Z\""))
        #expect(json.contains("\"holder\":\"ci-7\""))
        #expect(json.contains("\"fencingToken\":\"3\""))
    }

    /// Events written before locks had tokens (and the log's test events) still decode.
    @Test func acquired_withOnlyAHolder_decodesAsTokenZero() throws {
        let event = try LockEvent(type: "LockAcquired", schemaVersion: 1, json: #"{"holder": "h"}"#)
        guard case .acquired(let grant) = event else { Issue.record("not an acquire"); return }
        #expect(grant.token == 0 && grant.owner == "h" && grant.waiterID == nil)
    }

    @Test func decode_unknownType_throws() {
        #expect(throws: EventCodingError.unknownType("LockStolen")) {
            try LockEvent(type: "LockStolen", schemaVersion: 1, json: "{}")
        }
    }

    @Test func decode_newerSchemaVersion_throws() {
        #expect(throws: EventCodingError.unsupportedSchemaVersion(type: "LockReleased", version: 2)) {
            try LockEvent(type: "LockReleased", schemaVersion: 2, json: "{}")
        }
    }

    @Test func decode_malformedPayload_throwsInvalidPayload() {
        #expect {
            try LockEvent(type: "LockAcquired", schemaVersion: 1, json: "{\"holder\": 5")
        } throws: { error in
            if case .invalidPayload(type: "LockAcquired", _) = error as? EventCodingError { return true }
            return false
        }
    }
}
