import Domain
import Foundation
import Testing

@Suite struct LockEventCodecTests {
    static let events: [LockEvent] = [
        .acquired(holder: "ci-7", at: Date(timeIntervalSince1970: 1_800_000_000.25),
                  expiresAt: Date(timeIntervalSince1970: 1_800_000_030.5)),
        .released(holder: "ci \"7\" ☃", at: Date(timeIntervalSince1970: 1_800_000_001)),
    ]

    @Test(arguments: events)
    func event_roundTripsThroughProto3JSON(event: LockEvent) throws {
        let json = try event.jsonData()
        #expect(try LockEvent(type: event.type, schemaVersion: event.schemaVersion, json: json) == event)
    }

    @Test func acquired_encodesProto3JSONFieldNamesAndTimestamps() throws {
        let json = try Self.events[0].jsonData()
        #expect(json.contains("\"expiresAt\":\"2027-01-15T08:00:30.500Z\""))
        #expect(json.contains("\"holder\":\"ci-7\""))
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
