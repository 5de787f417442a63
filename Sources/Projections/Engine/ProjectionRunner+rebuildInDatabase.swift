import EventStore
import PostgresNIO

extension ProjectionRunner {
    /// Applies up to `limit` readable events after `cursor` to the rebuild tables with the
    /// projection's own SQL, and moves the rebuild checkpoint, in one transaction.
    /// - Returns: how many events the batch held and the last one's cursor; nil at the head.
    func applyToRebuildInDatabase(_ projection: any InDatabaseProjection, after cursor: Cursor, limit: Int)
        async throws -> (count: Int, last: Cursor)?
    {
        try await transaction(in: projection.rebuildSchema) { connection in
            let rows = try await connection.queryUnlessClosed("""
                WITH batch AS MATERIALIZED (
                    SELECT * FROM public.events e
                     WHERE (e.tx_id, e.global_position) > (\(String(cursor.transaction))::xid8, \(cursor.position))
                       AND e.tx_id < greatest((SELECT public.eventloom_log_horizon()), \(String(store.horizonFloorValue))::xid8)
                     ORDER BY e.tx_id, e.global_position
                     LIMIT \(limit)
                ), applied AS (
                    \(unescaped: projection.applyBatchSQL)
                )
                SELECT b.tx_id::text AS tx_text, b.global_position, (SELECT count(*) FROM batch) AS events
                  FROM batch b ORDER BY b.tx_id DESC, b.global_position DESC LIMIT 1
                """, logger: logger)
            guard let row = rows.first else { return nil }
            let (transaction, position, count) = try row.decode((String, Int64, Int64).self)
            let last = Cursor(transaction: UInt64(transaction)!, position: position)
            try await catalog.advanceRebuild(projection.name, from: cursor, to: last, applied: Int(count), on: connection)
            return (Int(count), last)
        }
    }
}
