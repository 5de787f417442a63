import Domain
import EventStore
import Foundation
import Projections
import Synchronization

/// Appends at a steady rate while a projection process runs, and times each event from
/// the start of its append until the audit projection's checkpoint passes it. The
/// checkpoint commits in the same transaction as the rows, so that is when a query sees it.
struct VisibilityRun: Sendable {
    let store: EventStore
    let catalog: ProjectionCatalog
    let rate: Int
    let seconds: Int
    /// Each event goes to a new stream `<prefix>-<index>`: a second run needs another prefix.
    var streamPrefix = "load-visible"

    /// Appended events not yet visible: their cursor, when their append started, their index.
    final class Pending: Sendable {
        let events = Mutex<[(Cursor, ContinuousClock.Instant, Int)]>([])
    }

    func run() async throws -> LoadResult {
        let total = rate * (seconds + 1)
        let pending = Pending()
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            group.addTask { try await observe(total, pending) }
            group.addTask {
                try await appendPaced(total, pending)
                return []
            }
            var latencies: [Duration] = []
            for try await part in group { latencies += part }
            return latencies
        }
        return LoadResult(events: latencies.count, elapsed: start.duration(to: .now), latencies: latencies)
    }

    private func appendPaced(_ total: Int, _ pending: Pending) async throws {
        try await paced(total, rate: rate) { index in
            let started = ContinuousClock.now
            let result = try await store.append(tenant: AppendLoad.tenant, [
                StreamAppend(stream: "\(streamPrefix)-\(index)", expected: .noStream, events: [
                    NewEvent(type: LockEvent.Kind.acquired.name, data: AppendLoad.payload(writer: index % 64),
                             metadata: AppendLoad.metadata)])])
            pending.events.withLock { $0.append((result.lastCursor, started, index)) }
        }
    }

    /// Polls the checkpoint every millisecond; latencies of the events after the first
    /// second (the warm-up).
    private func observe(_ total: Int, _ pending: Pending) async throws -> [Duration] {
        var latencies: [Duration] = []
        var seen = 0
        let deadline = ContinuousClock.now + .seconds(seconds + 60)
        while seen < total {
            guard ContinuousClock.now < deadline else {
                throw CommandFailure("the audit projection showed \(seen) of \(total) events in time")
            }
            guard let checkpoint = try await catalog.status("audit")?.cursor else {
                throw CommandFailure("the audit projection is not registered: is eventloom project running?")
            }
            let now = ContinuousClock.now
            let visible = pending.events.withLock { events in
                let (visible, waiting) = events.partitioned { $0.0 <= checkpoint }
                events = waiting
                return visible
            }
            seen += visible.count
            latencies += visible.filter { $0.2 >= rate }.map { $0.1.duration(to: now) }
            try await Task.sleep(for: .milliseconds(5))
        }
        return latencies
    }
}
