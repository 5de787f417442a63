import Foundation
import PostgresNIO

extension EventStore {
    /// The first result of an append identical to `plan`, if one was written; `nil` if
    /// none of its event ids is in the log.
    /// - Throws: ``EventStoreError/Code/eventIDConflict`` if only some ids are in the log,
    ///   or one is with other content (stream, type, schema version or data).
    func replay(_ plan: AppendPlan) async throws -> AppendResult? {
        let rows = try await client.queryUnlessClosed("""
            SELECT x.ord::int8, e.stream_version, e.global_position, e.tx_id::text,
                   (e.tenant_id = \(plan.tenant) AND e.stream_id = x.stream_id AND e.type = x.type
                    AND e.schema_version = x.schema_version AND e.data = x.data::jsonb) AS same
              FROM unnest(\(plan.eventIDs)::uuid[], \(plan.eventStreams)::text[], \(plan.types)::text[],
                          \(plan.schemaVersions)::int4[], \(plan.data)::text[])
                   WITH ORDINALITY AS x(event_id, stream_id, type, schema_version, data, ord)
              JOIN events e ON e.event_id = x.event_id
             ORDER BY x.ord
            """, logger: logger)
        var written: [Int: AppendResult.Written] = [:]
        for row in rows {
            let (ordinal, version, position, tx, same) = try row.decode((Int64, Int64, Int64, String, Bool).self)
            let index = Int(ordinal) - 1
            guard same, let transaction = UInt64(tx) else {
                throw EventStoreError.eventIDConflict(plan.eventIDs[index])
            }
            written[index] = .init(eventID: plan.eventIDs[index], stream: plan.eventStreams[index],
                                   streamVersion: version, cursor: Cursor(transaction: transaction, position: position))
        }
        if written.isEmpty { return nil }
        guard written.count == plan.eventIDs.count else {
            let firstWritten = written.keys.min()!
            throw EventStoreError.eventIDConflict(plan.eventIDs[firstWritten])
        }
        return AppendResult(events: plan.requestOrder.map { written[$0]! }, wasReplayed: true)
    }
}
