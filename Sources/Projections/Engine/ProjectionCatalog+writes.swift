import EventStore
import PostgresNIO

/// Writes made inside a projection's transaction, next to its rows.
extension ProjectionCatalog {
    /// Registers `projection` at the start of the log; false if it already was.
    func register(_ projection: some Projection, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.queryUnlessClosed("""
            INSERT INTO projections (name, version) VALUES (\(projection.name), \(Int32(projection.version)))
            ON CONFLICT (name) DO NOTHING RETURNING name
            """, logger: logger)
        return rows.count == 1
    }

    /// Moves the live checkpoint from `old` to `new` and clears a failure; throws
    /// ``ProjectionError/checkpointMoved(projection:)`` if it was not at `old`.
    func advance(_ name: String, from old: Cursor, to new: Cursor, on connection: PostgresConnection) async throws {
        let rows = try await connection.queryUnlessClosed("""
            UPDATE projections
               SET tx_id = \(String(new.transaction))::xid8, global_position = \(new.position),
                   state = 'running', error = NULL, failed_event_id = NULL, failed_at = NULL,
                   updated_at = clock_timestamp()
             WHERE name = \(name) AND tx_id = \(String(old.transaction))::xid8 AND global_position = \(old.position)
            RETURNING name
            """, logger: logger)
        guard rows.count == 1 else { throw ProjectionError.checkpointMoved(projection: name) }
    }

    /// Starts a rebuild of `version` at the start of the log, expecting `total` events.
    func startRebuild(_ name: String, version: Int, total: Int64, on connection: PostgresConnection) async throws {
        try await connection.queryUnlessClosed("""
            UPDATE projections
               SET rebuild_requested_at = coalesce(rebuild_requested_at, clock_timestamp()),
                   rebuild_version = \(Int32(version)), rebuild_tx_id = '0', rebuild_position = 0,
                   rebuild_started_at = clock_timestamp(), rebuild_applied = 0, rebuild_total = \(total),
                   updated_at = clock_timestamp()
             WHERE name = \(name)
            """, logger: logger)
    }

    /// Moves the rebuild's checkpoint from `old` to `new`, counting `applied` events.
    func advanceRebuild(_ name: String, from old: Cursor, to new: Cursor, applied: Int,
                        on connection: PostgresConnection) async throws
    {
        let rows = try await connection.queryUnlessClosed("""
            UPDATE projections
               SET rebuild_tx_id = \(String(new.transaction))::xid8, rebuild_position = \(new.position),
                   rebuild_applied = rebuild_applied + \(Int64(applied)), updated_at = clock_timestamp()
             WHERE name = \(name)
               AND rebuild_tx_id = \(String(old.transaction))::xid8 AND rebuild_position = \(old.position)
            RETURNING name
            """, logger: logger)
        guard rows.count == 1 else { throw ProjectionError.checkpointMoved(projection: name) }
    }

    /// Makes the finished rebuild the live state: its version and checkpoint, no failure.
    func finishRebuild(_ name: String, at cursor: Cursor, on connection: PostgresConnection) async throws {
        let rows = try await connection.queryUnlessClosed("""
            UPDATE projections
               SET version = rebuild_version, tx_id = rebuild_tx_id, global_position = rebuild_position,
                   state = 'running', error = NULL, failed_event_id = NULL, failed_at = NULL,
                   rebuild_requested_at = NULL, rebuild_version = NULL, rebuild_tx_id = NULL,
                   rebuild_position = NULL, rebuild_started_at = NULL, rebuild_applied = NULL,
                   rebuild_total = NULL, last_rebuilt_at = clock_timestamp(), updated_at = clock_timestamp()
             WHERE name = \(name)
               AND rebuild_tx_id = \(String(cursor.transaction))::xid8 AND rebuild_position = \(cursor.position)
            RETURNING name
            """, logger: logger)
        guard rows.count == 1 else { throw ProjectionError.checkpointMoved(projection: name) }
    }

    /// Records that `event` failed to apply (in a transaction of its own).
    func markFailed(_ name: String, at event: RecordedEvent, error: String) async throws {
        _ = try await run("""
            UPDATE projections
               SET state = 'failed', error = \(String(error.prefix(2000))), failed_event_id = \(event.id),
                   failed_at = coalesce(failed_at, clock_timestamp()), updated_at = clock_timestamp()
             WHERE name = \(name)
            """)
    }
}
