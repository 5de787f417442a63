import Foundation
import PostgresNIO

/// The one statement an append is: `eventloom_append` checks versions, chains hashes
/// and inserts every event (migrations/0001_event_log.sql).
struct AppendStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT event_id, stream_version, global_position, tx_id
          FROM eventloom_append($1, $2, $3, $4, $5, $6, $7, $8, $9::text[]::jsonb[], $10::text[]::jsonb[])
        """
    typealias Row = (UUID, Int64, Int64, String)

    let plan: AppendPlan

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(plan.tenant)
        bindings.append(plan.streams)
        bindings.append(plan.categories)
        bindings.append(plan.expected)
        bindings.append(plan.counts)
        bindings.append(plan.eventIDs)
        bindings.append(plan.types)
        bindings.append(plan.schemaVersions)
        bindings.append(plan.data)
        bindings.append(plan.metadata)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
