import Foundation
import PostgresNIO

extension RecordedEvent {
    /// The columns ``init(row:)`` decodes, in order, from `events e`. Derived columns get
    /// names of their own: a bare `ORDER BY tx_id` would otherwise sort by the text
    /// rendering (PostgreSQL resolves ORDER BY names to output columns first), putting
    /// transaction 10000 before 9999.
    static let columns = """
        e.event_id, e.tenant_id, e.stream_id, e.category, e.stream_version, e.type, e.schema_version,
        e.data::text AS data_text, e.metadata::text AS metadata_text,
        (extract(epoch FROM e.recorded_at) * 1000000)::int8 AS recorded_micros,
        e.tx_id::text AS tx_text, e.global_position, e.hash
        """

    init(row: PostgresRow) throws {
        let (id, tenant, stream, category, version, type, schemaVersion, data, metadata,
             recordedAt, tx, position, hash) = try row.decode(
            (UUID, String, String, String, Int64, String, Int32, String, String, Int64, String, Int64, Data).self)
        guard let transaction = UInt64(tx) else {
            throw EventStoreError(.internalError, "unreadable transaction id \(tx)")
        }
        self.init(id: id, tenant: tenant, stream: stream, category: category, streamVersion: version,
                  type: type, schemaVersion: Int(schemaVersion), data: data, metadata: metadata,
                  recordedAtMicros: recordedAt, cursor: Cursor(transaction: transaction, position: position),
                  hash: Array(hash))
    }
}
