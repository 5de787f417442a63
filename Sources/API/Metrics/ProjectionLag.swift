import EventStore
import Projections

/// How far a projection is behind the log: events after its checkpoint (capped) and the
/// age of the oldest of them.
struct ProjectionLag: Sendable {
    static let cap = 1_000_000

    let events: Int
    let seconds: Double

    static func of(_ status: ProjectionStatus, in store: EventStore, now: Int64) async throws -> ProjectionLag {
        let backlog = try await store.backlog(after: status.cursor, cap: cap)
        let seconds = backlog.oldestMicros.map { Double(max(now - $0, 0)) / 1_000_000 } ?? 0
        return ProjectionLag(events: backlog.count, seconds: seconds)
    }
}
