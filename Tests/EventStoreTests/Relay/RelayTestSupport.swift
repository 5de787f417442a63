import Domain
import EventStore
import EventStoreTesting
import Foundation
import Logging
import NATS
import NATSTesting
import Schemas
import Testing

/// Runs a relay on `store` towards `natsURL` around `body`.
func withRelay<T: Sendable>(
    _ store: EventStore, databaseURL: String, natsURL: String,
    configure: (inout RelayConfiguration) -> Void = { _ in },
    _ body: @Sendable (Relay) async throws -> T
) async throws -> T {
    var configuration = RelayConfiguration(nats: NATSConnectionOptions(url: natsURL, name: "test-relay"))
    configuration.lagInterval = .seconds(2)
    configure(&configuration)
    var logger = Logger(label: "test.relay")
    logger.logLevel = .warning
    let relay = Relay(store: store, configuration: configuration,
                      lockConnection: try DatabaseURL.connectionConfiguration(databaseURL), logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await relay.run() }
        defer { group.cancelAll() }
        return try await body(relay)
    }
}

/// A JetStream context on `url` for the test's own reading.
func jetStream(_ url: String) async throws -> JetStream {
    try JetStream(connection: try await NATSConnection.connect(NATSConnectionOptions(url: url), logger: Logger(label: "test")))
}

/// Reads `count` messages with a durable pull consumer, acking each; fails if they
/// do not arrive within `timeout`, and reads a little longer to catch extras.
func consume(_ count: Int, from jetStream: JetStream, durable: String = "test",
             timeout: Duration = .seconds(60)) async throws -> [NATSMessage] {
    let deadline = ContinuousClock.now + timeout
    // The relay creates the stream when it starts leading.
    try await waitUntil { (try? await jetStream.streamState("EVENTLOOM")) != nil }
    let subscription = try await jetStream.pullSubscribe(
        stream: "EVENTLOOM", consumer: ConsumerConfiguration(durable: durable, filterSubject: "eventloom.>"))
    var messages: [NATSMessage] = []
    while messages.count < count {
        try #require(ContinuousClock.now < deadline, "received \(messages.count) of \(count) messages")
        for message in try await subscription.fetch(batch: 500, timeout: .milliseconds(500)) {
            messages.append(message.message)
            try message.ack()
        }
    }
    for message in try await subscription.fetch(batch: 500, timeout: .milliseconds(500)) {
        messages.append(message.message)
    }
    return messages
}

/// Waits until the relay has published `cursor`.
func waitUntilPublished(_ relay: Relay, _ cursor: Cursor, timeout: Duration = .seconds(60)) async throws {
    let deadline = ContinuousClock.now + timeout
    while relay.status.snapshot.published.map({ $0 < cursor }) ?? true {
        try #require(ContinuousClock.now < deadline,
                     "relay published up to \(String(describing: relay.status.snapshot.published)), not \(cursor)")
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// `writers` tasks each append `perWriter` lock events in small batches, to streams of
/// two tenants.
func appendConcurrently(_ store: EventStore, writers: Int, perWriter: Int, pause: Duration? = nil) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<writers {
            group.addTask {
                var written = 0
                while written < perWriter {
                    let size = min(1 + written % 5, perWriter - written)
                    let events = (0..<size).map { testEvent("w\(writer)-\(written + $0)") }
                    _ = try await store.append(tenant: writer % 2 == 0 ? "acme" : "globex",
                                               [StreamAppend(stream: "lock-w\(writer)", expected: .any, events: events)])
                    written += size
                    if let pause { try await Task.sleep(for: pause) }
                }
            }
        }
        try await group.waitForAll()
    }
}

/// Checks that `messages` are exactly the events of `log`, in order, each once, with
/// the contract's subject, headers and envelope.
func expectExactly(_ log: [RecordedEvent], in messages: [NATSMessage]) throws {
    #expect(messages.count == log.count)
    let ids = messages.map { $0.header("Nats-Msg-Id") ?? "" }
    #expect(Set(ids).count == ids.count, "duplicates")
    #expect(ids == log.map { $0.id.uuidString.lowercased() }, "not the log, in cursor order")
    for (event, message) in zip(log, messages) {
        try expectContract(event, message)
    }
}

func expectContract(_ event: RecordedEvent, _ message: NATSMessage) throws {
    let id = event.id.uuidString.lowercased()
    #expect(message.subject == "eventloom.\(event.tenant).\(event.category).\(event.type)")
    #expect(message.header("ce-specversion") == "1.0")
    #expect(message.header("ce-id") == id)
    #expect(message.header("ce-source") == "/eventloom/\(event.tenant)/\(event.stream)")
    #expect(message.header("ce-type") == "eventloom.v1.\(event.type)")
    #expect(message.header("ce-subject") == event.stream)
    #expect(message.header("ce-time")?.hasSuffix("Z") == true)
    #expect(message.header("content-type") == "application/protobuf")
    #expect(message.header("Eventloom-Position") == event.cursor.description)
    #expect(message.header("Eventloom-Stream-Version") == String(event.streamVersion))
    let envelope = try Eventloom_V1_EventEnvelope(serializedBytes: message.payload)
    #expect(envelope.eventID == id && envelope.position == event.cursor.description)
    #expect(envelope.tenantID == event.tenant && envelope.streamID == event.stream && envelope.category == event.category)
    #expect(envelope.streamVersion == UInt64(event.streamVersion) && envelope.type == event.type)
    #expect(envelope.hash == Data(event.hash) && envelope.dataContentType == "application/protobuf")
    #expect(envelope.metadata.actor == "test" && envelope.metadata.correlationID == "c-1")
    #expect(Int64(envelope.recordedAt.seconds) * 1_000_000 + Int64(envelope.recordedAt.nanos / 1000) == event.recordedAtMicros)
    let data = try Eventloom_V1_LockAcquired(serializedBytes: envelope.data)
    #expect(try Eventloom_V1_LockAcquired(jsonString: event.data) == data)
}
