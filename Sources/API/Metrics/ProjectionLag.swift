import EventStore
import Projections

/// How far a projection is behind the log: events after its checkpoint (capped) and the
/// age of the oldest of them; and whether it has stalled.
struct ProjectionLag: Sendable {
    static let cap = 1_000_000

    let events: Int
    let seconds: Double
    /// Why the projection is reported `stalled`: readable events have waited longer than
    /// the stall time and its checkpoint has not moved for as long. Nil when it is not.
    let stall: String?

    static func of(_ status: ProjectionStatus, in store: EventStore, now: Int64, stallAfter: Duration) async throws
        -> ProjectionLag
    {
        let backlog = try await store.backlog(after: status.cursor, cap: cap)
        let seconds = backlog.oldestMicros.map { Double(max(now - $0, 0)) / 1_000_000 } ?? 0
        var stall: String?
        let limit = stallAfter.components.seconds * 1_000_000 + stallAfter.components.attoseconds / 1_000_000_000_000
        if status.state == .running, status.rebuild == nil, backlog.count > 0, now - status.updatedAtMicros > limit,
           let waiting = try await store.oldestReadable(after: status.cursor), now - waiting > limit
        {
            let idle = (now - status.updatedAtMicros) / 1_000_000
            stall = "no progress for \(idle) s while readable events wait (the oldest for \((now - waiting) / 1_000_000) s): "
                + "its runner is not reading the log; see the log of the process that runs it"
        }
        return ProjectionLag(events: backlog.count, seconds: seconds, stall: stall)
    }
}
