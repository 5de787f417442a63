import Foundation
import PostgresNIO

extension EventStore {
    /// Up to `limit` events of `tenant` whose metadata names data subject `subject`, after
    /// `cursor` and no further than `last` (a readable head: no event below it commits
    /// later, so paging by cursor skips none), in cursor order, as stored (sealed).
    /// - Throws: ``EventStoreError`` `invalidInput` for a bad limit, `unavailable`.
    public func readEvents(about subject: String, tenant: String, after cursor: Cursor, through last: Cursor,
                           limit: Int = 1_000) async throws -> [RecordedEvent] {
        let limit = try Self.checked(limit)
        return try await events("""
            SELECT \(unescaped: RecordedEvent.columns) FROM events e
             WHERE e.tenant_id = \(tenant) AND (e.metadata->>'dataSubject') = \(subject)
               AND (e.tx_id, e.global_position) > (\(String(cursor.transaction))::xid8, \(cursor.position))
               AND (e.tx_id, e.global_position) <= (\(String(last.transaction))::xid8, \(last.position))
             ORDER BY e.tx_id, e.global_position
             LIMIT \(limit)
            """)
    }
}
