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

    static let tenant = "bench"

    var appendsPerWriter: Int { events / writers / batch }
    var totalEvents: Int { appendsPerWriter * batch * writers }

    /// A LockAcquired payload, as proto3 JSON.
    static func payload(writer: Int) -> String {
        #"{"holder":"writer-\#(writer)","acquiredAt":"2026-11-21T10:00:00Z","expiresAt":"2026-11-21T10:00:30Z"}"#
    }

    static let metadata = EventMetadata(actor: "bench", correlationId: "bench-run")

    func run(on scratch: ScratchDatabase, logger: Logger) async throws -> LoadResult {
        try await scratch.withClient { client in
            let store = EventStore(client: client, logger: logger)
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
        let payload = Self.payload(writer: writer)
        var latencies: [Duration] = []
        latencies.reserveCapacity(appendsPerWriter)
        var version: Int64 = 0
        for _ in 0..<appendsPerWriter {
            let events = (0..<batch).map { _ in NewEvent(type: LockEvent.Kind.acquired.name, data: payload, metadata: Self.metadata) }
            let started = ContinuousClock.now
            try await store.append(tenant: Self.tenant, stream: "bench-\(writer)", expected: .exact(version), events: events)
            latencies.append(started.duration(to: .now))
            version += Int64(batch)
            progress.add(batch)
        }
        return latencies
    }

    private func count(_ client: PostgresClient) async throws -> Int {
        for try await count in try await client.query("SELECT count(*)::int8 FROM events").decode(Int64.self) {
            return Int(count)
        }
        return 0
    }
}
