import Domain
import EventStore
import EventStoreTesting
import Foundation
import NATSTesting
import Schemas
import SwiftProtobuf
import Testing

/// examples/c-subscriber: built with libnats and protobuf-c, run against what the relay
/// published, its lines compared with the log.
@Suite("C subscriber example")
struct CSubscriberTests {
    static let example = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/c-subscriber")

    @Test func cSubscriber_printsEveryRelayedEventDecodedFromTheProtoFiles() async throws {
        let build = try await run("/usr/bin/env", ["make", "-s", "-C", Self.example.path])
        try #require(build.status == 0, "make failed:\n\(build.output)")
        try await TestDatabase.withDatabase { store, databaseURL in
            try await TestNATSServer.withServer { server in
                try await appendLockEvents(to: store)
                try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { relay in
                    let log = try await wholeLog(store)
                    try await waitUntilPublished(relay, log.last!.cursor)
                    let result = try await run(Self.example.appendingPathComponent("build/c-subscriber").path,
                                         ["--url", server.url, "--durable", "c-test", "--count", "\(log.count)"])
                    #expect(result.status == 0, "c-subscriber failed:\n\(result.output)")
                    let lines = result.output.split(separator: "\n").map(String.init)
                    #expect(lines == (try log.map(Self.expectedLine)))
                }
            }
        }
    }

    private func appendLockEvents(to store: EventStore) async throws {
        let at = Date(timeIntervalSince1970: 1_700_000_000.123456)
        for index in 0..<20 {
            let acquired = LockEvent.acquired(.of("holder-\(index)", token: 1, at: at, until: at.addingTimeInterval(30)))
            let released = LockEvent.released(token: 1, owner: "holder-\(index)", at: at.addingTimeInterval(1))
            _ = try await store.append(tenant: index % 2 == 0 ? "acme" : "globex", [StreamAppend(
                stream: "lock-build-\(index)", expected: .noStream,
                events: [try NewEvent(acquired), try NewEvent(released)])])
        }
        _ = try await store.append(tenant: "acme", [StreamAppend(
            stream: "misc-1", expected: .any, events: [NewEvent(type: "SomethingNew", data: #"{"n":1}"#)])])
    }

    /// The line the example prints for `event` (examples/c-subscriber/README.md).
    static func expectedLine(_ event: RecordedEvent) throws -> String {
        let payload: String
        switch event.type {
        case "LockAcquired":
            let message = try Eventloom_V1_LockAcquired(jsonString: event.data)
            payload = "holder=\(message.holder) acquired_at=\(time(message.acquiredAt)) expires_at=\(time(message.expiresAt))"
        case "LockReleased":
            let message = try Eventloom_V1_LockReleased(jsonString: event.data)
            payload = "holder=\(message.holder) released_at=\(time(message.releasedAt))"
        default:
            payload = "json=\(event.data)"
        }
        return [event.cursor.description, event.id.uuidString.lowercased(), event.tenant, event.stream,
                String(event.streamVersion), event.type, payload].joined(separator: "\t")
    }

    private static func time(_ timestamp: Google_Protobuf_Timestamp) -> String {
        let nanos = String(timestamp.nanos)
        return "\(timestamp.seconds)." + String(repeating: "0", count: 9 - nanos.count) + nanos
    }
}
