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

    /// - Parameter detailed: name the database session of the runner in a stall's cause
    ///   (for the system admin only: its pid and address say where the service runs).
    static func of(_ status: ProjectionStatus, in store: EventStore, now: Int64, stallAfter: Duration,
                   detailed: Bool = false) async throws -> ProjectionLag
    {
        let behind = try await behind(status.cursor, in: store, now: now)
        var stall: String?
        let limit = stallAfter.components.seconds * 1_000_000 + stallAfter.components.attoseconds / 1_000_000_000_000
        if status.state == .running, status.rebuild == nil, behind.events > 0, now - status.updatedAtMicros > limit,
           let waiting = try await store.oldestReadable(after: status.cursor), now - waiting > limit
        {
            let idle = (now - status.updatedAtMicros) / 1_000_000
            stall = "no progress for \(idle) s while readable events wait (the oldest for \((now - waiting) / 1_000_000) s): "
                + runner(of: status.name, in: try await store.leaderHolder(objectID: ProjectionRunner.lockID(status.name)),
                         detailed: detailed)
        }
        return ProjectionLag(events: behind.events, seconds: behind.seconds, stall: stall)
    }

    /// The events after `cursor` (capped) and how long the oldest of them has waited; no stall.
    static func behind(_ cursor: Cursor, in store: EventStore, now: Int64) async throws -> ProjectionLag {
        let backlog = try await store.backlog(after: cursor, cap: cap)
        return ProjectionLag(events: backlog.count, seconds: backlog.oldestMicros.map { Double(max(now - $0, 0)) / 1_000_000 } ?? 0,
                             stall: nil)
    }
}

extension ProjectionLag {
    /// What the database knows of the process that should be advancing projection `name`:
    /// none leads it, or the one that does.
    static func runner(of name: String, in holder: LeaderHolder?, detailed: Bool) -> String {
        guard let holder else {
            return "no process runs it (none holds its leader lock): start `eventloom project` (or `--only \(name)`)"
        }
        guard detailed else { return "the process leading it is not reading the log; see that process's log" }
        let source = holder.clientAddress.map { " from \($0)" } ?? ""
        let idle = holder.idleSeconds.map { String(format: ", its lock's session idle for %.0f s", $0) } ?? ""
        return "the process leading it (database session pid \(holder.pid)\(source)\(idle)) is not reading the log; "
            + "see that process's log"
    }
}
