import EventStore
import Foundation
import Hummingbird
import Projections

/// Read-your-writes: waits until a read model (or the log's readers) has got to a cursor.
struct Consistency: Sendable {
    let store: EventStore
    let catalog: ProjectionCatalog
    let timeout: Duration

    /// Returns once projection `name` has applied `cursor`.
    ///
    /// No polling: it reads the projection's checkpoint once; then, each time a runner of
    /// any process announces a moved checkpoint (one LISTEN per process, see
    /// ``EventStore/checkpointMoves()``), it compares with the announced cursor in memory,
    /// with no query. Only when the process's listener has begun listening again
    /// (announcements may have been missed meanwhile) does it read the checkpoint once more,
    /// and once at the deadline before answering 504.
    /// - Throws: ``APIError`` 400 naming `consistent_with` for a cursor beyond the log's head
    ///   (no write of this log ever returned it, so no wait could end); 504 with the current
    ///   lag after the timeout.
    func wait(for name: String, toReach cursor: Cursor) async throws {
        let moves = store.checkpointMoves()   // before the first check: no move is missed
        let epoch = store.announcementEpoch
        if wasAnnounced(name, cursor) { return }
        if try await hasReached(name, cursor) { return }
        try await refuseBeyondHead(cursor)
        let reached = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                var seen = epoch
                for await _ in moves {
                    if wasAnnounced(name, cursor) { return true }
                    let current = store.announcementEpoch
                    guard current != seen else { continue }
                    seen = current
                    // Right after a reconnect: a failed read is no reason to fail the wait.
                    if (try? await hasReached(name, cursor)) == true { return true }
                }
                return false
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        if reached { return }
        if let problem = try await notConsistent(name, cursor) { throw problem }
    }

    /// Whether projection `name` announced a checkpoint at or past `cursor` (no query).
    private func wasAnnounced(_ name: String, _ cursor: Cursor) -> Bool {
        store.announcedCheckpoint(of: name).map { $0 >= cursor } ?? false
    }

    private func hasReached(_ name: String, _ cursor: Cursor) async throws -> Bool {
        guard let status = try await catalog.status(name) else { return false }
        return status.cursor >= cursor
    }

    /// The 504, with the lag counted up to a bound (a timeout costs one read of the
    /// checkpoint and one bounded count); none when the checkpoint got there at the deadline.
    private func notConsistent(_ name: String, _ cursor: Cursor) async throws -> APIError? {
        let status = try await catalog.status(name)
        if let status, status.cursor >= cursor { return nil }
        let backlog = try await store.backlog(after: status?.cursor ?? .start, cap: Self.lagCountCap).count
        let lag = backlog >= Self.lagCountCap ? "at least \(Self.lagCountCap)" : "\(backlog)"
        var problem = APIError(.gatewayTimeout, "not-consistent-yet", "Not consistent yet",
                               detail: "the \(name) read model has not reached \(cursor) within \(timeout); it is \(lag) events behind")
        problem.extra = ["lag_events": .string("\(backlog)"), "projection": .string(name)]
        return problem
    }

    /// The most backlog a 504 counts.
    static let lagCountCap = 1_000

    /// Waits for projection `name` to apply the cursor `request` asks for with
    /// `consistent_with` (or `Eventloom-Consistent-With`); returns at once without one.
    func wait(for name: String, askedBy request: Request) async throws {
        if let cursor = try QueryInput(request: request).consistentWith() { try await wait(for: name, toReach: cursor) }
    }

    /// Returns once projection `name` has applied every event committed now. (Not the
    /// readable head: one computation of the horizon can come out below a commit that a
    /// transaction ending meanwhile made unprovable, and the wait would end before it.)
    /// - Returns: false when it had not by `limit` (at most the configured timeout).
    func waitForCurrentHead(of name: String, upTo limit: Duration) async throws -> Bool {
        let bounded = Consistency(store: store, catalog: catalog, timeout: min(limit, timeout))
        do {
            try await bounded.wait(for: name, toReach: try await store.committedHead())
            return true
        } catch let error as APIError where error.status == .gatewayTimeout {
            return false
        }
    }

    /// Refuses a cursor this log never handed out: beyond the newest event committed.
    func refuseBeyondHead(_ cursor: Cursor) async throws {
        guard cursor > (try await store.committedHead()) else { return }
        throw APIError.invalid("consistent_with", "is beyond the newest position of the log: no write returned it")
    }

    /// Returns once log readers can see `cursor`.
    func waitForLog(toReach cursor: Cursor) async throws {
        try await refuseBeyondHead(cursor)
        guard try await store.waitUntilReadable(cursor, timeout: timeout) else {
            throw APIError(.gatewayTimeout, "not-consistent-yet", "Not consistent yet",
                           detail: "a transaction older than \(cursor) is still running")
        }
    }
}
