import Domain
import Foundation
import Testing

@Suite struct IngestionTaskEventCodecTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000.5)
    static let key = IngestionTaskKey(index: "kb-main", version: 3, contentSHA256: String(repeating: "ef", count: 32))
    static let target = IngestionTarget(documentID: "handbook", commitID: String(repeating: "01", count: 32))
    static let events: [IngestionTaskEvent] = [
        .queued(key, target: target, contentSize: 77, maxAttempts: 5, at: t0),
        .targetAdded(target, at: t0),
        .claimed(IngestionClaim(token: 4, worker: "embedder-2", attempt: 2, claimedAt: t0, leaseExpiresAt: t0 + 30)),
        .progressed(token: 4, chunks: 10, parts: 1, leaseExpiresAt: t0 + 60, at: t0 + 1),
        .succeeded(token: 4, IngestionResult(chunks: 10, parts: 2, bytes: 8_000, dataSHA256: String(repeating: "aa", count: 32), scope: "user-7"), at: t0),
        .failed(token: 4, attempt: 2, error: "503\nretry later", retryAt: t0 + 10, at: t0),
        .leaseExpired(token: 4, attempt: 2, retryAt: t0 + 10, at: t0),
        .deadLettered(token: 4, attempts: 5, lastError: "gave up", at: t0),
        .requeued(by: "key:admin", at: t0),
    ]

    @Test func everyKind_isCovered() {
        #expect(Set(Self.events.map(\.kind)) == Set(IngestionTaskEvent.Kind.allCases))
    }

    @Test(arguments: events)
    func event_roundTripsThroughProto3JSON(event: IngestionTaskEvent) throws {
        let json = try event.jsonData()
        #expect(try IngestionTaskEvent(type: event.type, schemaVersion: event.schemaVersion, json: json) == event)
    }
}
