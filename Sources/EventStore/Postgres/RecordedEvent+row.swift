import Foundation
import PostgresNIO

extension RecordedEvent {
    /// The columns ``init(row:)`` decodes, in order.
    static let columns = """
        event_id, tenant_id, stream_id, category, stream_version, type, schema_version,
        data::text, metadata::text, (extract(epoch FROM recorded_at) * 1000000)::int8,
        tx_id::text, global_position, hash
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
