import Foundation
import PostgresNIO

extension EventStore {
    /// The cursor saved as checkpoint `name`; ``Cursor/start`` when there is none.
    ///
    /// Checkpoints of processes that follow the whole log (the relay) use tenant `""`,
    /// which no tenant id can be.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func checkpoint(_ name: String, tenant: String = "") async throws -> Cursor {
        let rows = try await rows("""
            SELECT tx_id::text, global_position FROM checkpoints WHERE tenant_id = \(tenant) AND name = \(name)
            """)
        guard let row = rows.first else { return .start }
        let (tx, position) = try row.decode((String, Int64).self)
        guard let transaction = UInt64(tx) else { throw EventStoreError(.internalError, "unreadable checkpoint \(tx)") }
        return Cursor(transaction: transaction, position: position)
    }

    /// Saves `cursor` as checkpoint `name`.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func saveCheckpoint(_ name: String, tenant: String = "", at cursor: Cursor) async throws {
        _ = try await rows("""
            INSERT INTO checkpoints (tenant_id, name, tx_id, global_position)
            VALUES (\(tenant), \(name), \(String(cursor.transaction))::xid8, \(cursor.position))
            ON CONFLICT (tenant_id, name) DO UPDATE
               SET tx_id = excluded.tx_id, global_position = excluded.global_position, updated_at = clock_timestamp()
            """)
    }

    /// The id of the event at `cursor`; nil when the log has none there.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func eventID(at cursor: Cursor) async throws -> UUID? {
        try await rows("""
            SELECT event_id FROM events
             WHERE tx_id = \(String(cursor.transaction))::xid8 AND global_position = \(cursor.position)
            """).first?.decode(UUID.self)
    }

    /// How many committed events follow `cursor` (counted up to `cap`), and when the first
    /// of them was recorded (microseconds since 1970), nil when there is none.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func backlog(after cursor: Cursor, cap: Int = 1_000_000) async throws -> (count: Int, oldestMicros: Int64?) {
        let row = try await rows("""
            SELECT count(*), (extract(epoch FROM min(recorded_at)) * 1000000)::int8 FROM (
                SELECT e.recorded_at FROM events e
                 WHERE (e.tx_id, e.global_position) > (\(String(cursor.transaction))::xid8, \(cursor.position))
                 ORDER BY e.tx_id, e.global_position LIMIT \(cap)) backlog
            """).first
        guard let row else { return (0, nil) }
        let (count, oldest) = try row.decode((Int64, Int64?).self)
        return (Int(count), oldest)
    }

    /// When the first event after `cursor` that readers can already see was recorded
    /// (microseconds since 1970); nil when none is readable yet.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func oldestReadable(after cursor: Cursor) async throws -> Int64? {
        let row = try await rows("""
            SELECT (extract(epoch FROM e.recorded_at) * 1000000)::int8 FROM events e
             WHERE (e.tx_id, e.global_position) > (\(String(cursor.transaction))::xid8, \(cursor.position))
               AND e.tx_id < greatest((SELECT eventloom_log_horizon()), \(horizonFloor.read().sql)::xid8)
             ORDER BY e.tx_id, e.global_position LIMIT 1
            """).first
        return try row?.decode(Int64.self)
    }

    private func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        do {
            return try await client.queryUnlessClosed(query, logger: logger)
        } catch {
            throw readError(error)
        }
    }
}
