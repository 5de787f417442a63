import EventStore
import Foundation
import Logging
import PostgresNIO

/// The processes that serve searches, as they last reported (table `search_processes`,
/// owned by the search read model): what a version's readiness gate counts. When a process
/// was last seen is the database's time, one clock for every host.
public struct ServingProcesses: Sendable {
    let store: EventStore
    let logger: Logger

    /// One serving process as it last beat.
    public struct Row: Sendable, Equatable {
        public let processID: String
        public let host: String
        public let pid: Int
        /// The log position its search read model had applied.
        public let checkpoint: Cursor
        public let seenAt: Date
    }

    public init(store: EventStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Records that `processID` runs with its read model at `checkpoint`, and removes the
    /// processes not seen for `staleAfter` seconds (they stopped without saying so).
    public func beat(processID: String, host: String, pid: Int, checkpoint: Cursor, startedAt: Date,
                     staleAfter: TimeInterval) async throws {
        try await store.withTransaction { connection in
            try await EventStore.run("""
                INSERT INTO search_processes (process_id, host, pid, checkpoint, started_at, seen_at)
                VALUES (\(processID), \(host), \(Int32(clamping: pid)), \(checkpoint.description), \(startedAt), now())
                ON CONFLICT (process_id) DO UPDATE SET checkpoint = excluded.checkpoint, seen_at = excluded.seen_at
                """, on: connection, logger: logger)
            try await EventStore.run("""
                DELETE FROM search_processes WHERE seen_at < now() - make_interval(secs => \(staleAfter))
                """, on: connection, logger: logger)
        }
    }

    /// Removes `processID` (it stops serving).
    public func remove(processID: String) async throws {
        try await store.withTransaction { connection in
            try await EventStore.run("DELETE FROM search_processes WHERE process_id = \(processID)", on: connection, logger: logger)
        }
    }

    /// The processes seen in the last `within` seconds, by id.
    /// - Throws: ``EventStoreError`` (`unavailable`, …), never a raw database error.
    public func live(within: TimeInterval) async throws -> [Row] {
        let rows: [PostgresRow]
        do {
            rows = try await store.client.queryUnlessClosed("""
                SELECT process_id, host, pid, checkpoint, seen_at FROM search_processes
                 WHERE seen_at >= now() - make_interval(secs => \(within)) ORDER BY process_id
                """, logger: logger)
        } catch {
            throw store.readError(error)
        }
        return try rows.compactMap { row in
            let (id, host, pid, checkpoint, seen) = try row.decode((String, String, Int32, String, Date).self)
            guard let cursor = Cursor(checkpoint) else { return nil }
            return Row(processID: id, host: host, pid: Int(pid), checkpoint: cursor, seenAt: seen)
        }
    }
}
