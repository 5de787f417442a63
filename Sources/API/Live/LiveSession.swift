import EventStore
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// One SSE client: the log from its cursor, then the live events, with heartbeats. A client
/// that stops reading falls behind its bounded queue and is disconnected.
struct LiveSession: Sendable {
    let store: EventStore
    let live: LiveLog
    let subscriber: LiveSubscriber
    let heartbeatInterval: Duration
    let logger: Logger

    func run(after start: Cursor, writer: inout any ResponseBodyWriter) async throws {
        defer { live.unsubscribe(subscriber) }
        try await withGracefulShutdownHandler {
            try await writer.write(ServerSentEvents.retry)
            var last = try await catchUp(after: start, writer: &writer)
            while let batch = await nextOrHeartbeat() {
                let fresh = batch.filter { $0.cursor > last }
                if fresh.isEmpty {
                    if batch.isEmpty { try await writer.write(ServerSentEvents.heartbeat) }
                    continue
                }
                try await writer.write(ServerSentEvents.frames(fresh))
                last = fresh.last!.cursor
            }
            try await writer.finish(nil)
        } onGracefulShutdown: {
            subscriber.close()
        }
    }

    /// Reads the log after `start` until it has caught up with what readers can see.
    private func catchUp(after start: Cursor, writer: inout any ResponseBodyWriter) async throws -> Cursor {
        var last = start
        while true {
            let batch = try await store.readLog(after: last, filter: subscriber.filter, limit: 1_000)
            let wanted = batch.filter(subscriber.wants)
            if !wanted.isEmpty { try await writer.write(ServerSentEvents.frames(wanted)) }
            guard let newest = batch.last else { return last }
            last = newest.cursor
        }
    }

    /// The next live events; `[]` after `heartbeatInterval` of silence; nil when the queue ended.
    /// Whichever of the two waits finishes first, the other's events are kept, never dropped.
    private func nextOrHeartbeat() async -> [RecordedEvent]? {
        await withTaskGroup(of: [RecordedEvent]?.self) { group in
            group.addTask { await subscriber.next() }
            group.addTask {
                try? await Task.sleep(for: heartbeatInterval)
                return []
            }
            var events: [RecordedEvent] = []
            var ended = false
            if let first = await group.next() {
                if let first { events += first } else { ended = true }
            }
            group.cancelAll()
            while let other = await group.next() {
                if let other { events += other } else { ended = true }
            }
            return events.isEmpty && ended ? nil : events
        }
    }
}
