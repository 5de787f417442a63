import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// The benchmark's load: `writers` tasks, each appending its share of `events` to its own
/// stream, `batch` events per append, with an exact expected version.
struct AppendLoad: Sendable {
    let writers: Int
    let events: Int
    let batch: Int
    var payload = Payload.lock

    /// What each event is.
    enum Payload: Sendable {
        /// A `LockAcquired`: nothing personal.
        case lock
        /// A `MessageAppended` of a chat message (about 500 bytes of content) with the
        /// request's IP and user agent, each writer's for a data subject of its own: its
        /// content and origin sealed with the subject's key (`sealed`), or in clear.
        case message(sealed: Bool)
    }

    static let tenant = "bench"

    var appendsPerWriter: Int { events / writers / batch }
    var totalEvents: Int { appendsPerWriter * batch * writers }

    /// A LockAcquired payload, as proto3 JSON.
    static func payload(writer: Int) -> String {
        #"{"holder":"writer-\#(writer)","acquiredAt":"2026-11-21T10:00:00Z","expiresAt":"2026-11-21T10:00:30Z"}"#
    }

    static let metadata = EventMetadata(actor: "bench", correlationId: "bench-run")

    /// A `MessageAppended` payload: a user's message of about 500 bytes, with a cited quote.
    static func message(writer: Int) throws -> String {
        let content = String(repeating: "Writer \(writer) asks about the refund policy for order 12345. ", count: 8)
        let message = ChatMessage(messageID: "m-\(writer)", parentID: nil, role: .user, content: content,
                                  citations: [Citation(documentID: "d1", chunkID: "c1", quote: "refunds within 30 days")])
        return try SessionEvent.messageAppended(sessionID: "s-\(writer)", message, at: Date(timeIntervalSince1970: 1_800_000_000))
            .jsonData()
    }

    /// The event `writer` appends, each time with a new id.
    func event(writer: Int, data: String) -> NewEvent {
        switch payload {
        case .lock:
            return NewEvent(type: LockEvent.Kind.acquired.name, data: data, metadata: Self.metadata)
        case .message(let sealed):
            var metadata = Self.metadata
            metadata.clientIp = "203.0.113.\(writer % 250)"
            metadata.userAgent = "bench-client/1.0"
            metadata.dataSubject = sealed ? "user-\(writer)" : nil
            return NewEvent(type: SessionEvent.Kind.messageAppended.name, data: data, metadata: metadata)
        }
    }

    private func data(writer: Int) throws -> String {
        switch payload {
        case .lock: Self.payload(writer: writer)
        case .message: try Self.message(writer: writer)
        }
    }

    func run(on scratch: ScratchDatabase, logger: Logger) async throws -> LoadResult {
        try await scratch.withClient { client in
            let store = EventStore(client: client, logger: logger, keyring: BenchMasterKey.keyring)
            let progress = Progress(total: totalEvents)
            let start = ContinuousClock.now
            let latencies = try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { await store.notifier.run() }
                services.addTask { await progress.report(every: .seconds(1)) }
                defer { services.cancelAll() }
                return try await appendAll(store, progress)
            }
            let elapsed = start.duration(to: .now)
            progress.finish()
            let written = try await count(client)
            guard written == totalEvents else {
                throw CommandFailure("the log holds \(written) events, \(totalEvents) were appended")
            }
            return LoadResult(events: totalEvents, elapsed: elapsed, latencies: latencies)
        }
    }

    private func appendAll(_ store: EventStore, _ progress: Progress) async throws -> [Duration] {
        try await withThrowingTaskGroup(of: [Duration].self) { group in
            for writer in 0..<writers {
                group.addTask { try await appendShare(of: writer, store, progress) }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    private func appendShare(of writer: Int, _ store: EventStore, _ progress: Progress) async throws -> [Duration] {
        let payload = try data(writer: writer)
        var latencies: [Duration] = []
        latencies.reserveCapacity(appendsPerWriter)
        var version: Int64 = 0
        for _ in 0..<appendsPerWriter {
            let events = (0..<batch).map { _ in event(writer: writer, data: payload) }
            let started = ContinuousClock.now
            try await store.append(tenant: Self.tenant, stream: "\(streamCategory)-\(writer)", expected: .exact(version), events: events)
            latencies.append(started.duration(to: .now))
            version += Int64(batch)
            progress.add(batch)
        }
        return latencies
    }

    /// Each writer's stream is `<category>-<writer>`.
    private var streamCategory: String {
        switch payload {
        case .lock: "bench"
        case .message: "session"
        }
    }

    private func count(_ client: PostgresClient) async throws -> Int {
        for try await count in try await client.query("SELECT count(*)::int8 FROM events").decode(Int64.self) {
            return Int(count)
        }
        return 0
    }
}
