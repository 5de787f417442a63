import Foundation
import PostgresNIO

/// An append is this one statement, in its own transaction or the caller's.
///
/// It reads each stream's head (version and hash of its last event) from the unique
/// `(tenant_id, stream_id, stream_version)` index, checks the expected versions, chains
/// the new events' hashes, inserts them and registers new streams. A version mismatch
/// writes nothing and returns one row naming the stream (event_id NULL, its actual
/// version, what was expected). Two writers racing on a stream collide on the unique
/// index: the later one fails with unique_violation and the caller retries from the new head
/// (after taking its streams' turn locks, `EventStore.append(tenant:_:)`).
/// Streams are sorted by the caller, so concurrent multi-stream appends meet in one order.
/// Every written row depends on `input`, which first declares the transaction a log writer
/// (`eventloom_declare_log_writer`, migration 0006): that is what holds log readers back
/// until it ends, and it fails (EL003) when the transaction wrote elsewhere first.
struct AppendStatement: PostgresPreparedStatement {
    static let sql = """
        WITH RECURSIVE
        input AS MATERIALIZED (
            SELECT $6::uuid[] AS ids, $7::text[] AS types, $8::int4[] AS schema_versions,
                   $9::text[]::jsonb[] AS data, $10::text[]::jsonb[] AS metadata,
                   at, (extract(epoch FROM at) * 1000000)::int8 AS micros
              FROM (SELECT date_trunc('microseconds', clock_timestamp()) AS at) t
             CROSS JOIN (SELECT eventloom_declare_log_writer()) AS declared
        ),
        request AS MATERIALIZED (
            SELECT s.ord, s.stream, s.category, s.expected, s.n,
                   (sum(s.n) OVER (ORDER BY s.ord) - s.n)::int4 AS first_event
              FROM unnest($2::text[], $3::text[], $4::int8[], $5::int4[]) WITH ORDINALITY AS s(stream, category, expected, n, ord)
        ),
        heads AS MATERIALIZED (
            SELECT r.ord, r.stream, r.category, r.expected,
                   coalesce(h.stream_version, 0) AS version,
                   coalesce(h.hash, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea) AS hash
              FROM request r
              LEFT JOIN LATERAL (
                  SELECT e.stream_version, e.hash FROM events e
                   WHERE e.tenant_id = $1 AND e.stream_id = r.stream
                   ORDER BY e.stream_version DESC LIMIT 1
              ) h ON true
        ),
        conflict AS MATERIALIZED (
            SELECT stream, expected, version FROM heads
             WHERE (expected >= 0 AND version <> expected) OR (expected = -2 AND version = 0)
             ORDER BY ord LIMIT 1
        ),
        chain (ord, i, k, version, hash) AS (
            SELECT h.ord, 0, r.first_event, h.version, h.hash
              FROM heads h JOIN request r ON r.ord = h.ord
             WHERE NOT EXISTS (SELECT 1 FROM conflict)
          UNION ALL
            SELECT c.ord, c.i + 1, c.k + 1, c.version + 1,
                   eventloom_event_hash(c.hash, inp.ids[c.k + 1], $1, r.stream, c.version + 1, inp.types[c.k + 1],
                                        inp.schema_versions[c.k + 1], inp.data[c.k + 1], inp.metadata[c.k + 1], inp.micros)
              FROM chain c JOIN request r ON r.ord = c.ord CROSS JOIN input inp
             WHERE c.i < r.n
        ),
        written AS (
            INSERT INTO events AS ev (event_id, tenant_id, stream_id, category, stream_version, type,
                                      schema_version, data, metadata, recorded_at, hash)
            SELECT inp.ids[c.k], $1, r.stream, r.category, c.version, inp.types[c.k],
                   inp.schema_versions[c.k], inp.data[c.k], inp.metadata[c.k], inp.at, c.hash
              FROM chain c JOIN request r ON r.ord = c.ord CROSS JOIN input inp
             WHERE c.i > 0
            RETURNING ev.event_id, ev.stream_id, ev.stream_version, ev.global_position, ev.tx_id
        ),
        registered AS (
            INSERT INTO streams (tenant_id, stream_id, category, created_at)
            SELECT $1, h.stream, h.category, inp.at FROM heads h CROSS JOIN input inp
             WHERE h.version = 0 AND NOT EXISTS (SELECT 1 FROM conflict)
            ON CONFLICT DO NOTHING
        )
        SELECT event_id, stream_id, stream_version, global_position, tx_id::text, NULL::int8 AS expected FROM written
        UNION ALL
        SELECT NULL, stream, version, NULL, NULL, expected FROM conflict
        """
    /// event id (nil for a conflict), stream, version (actual one for a conflict),
    /// global position, transaction id, expected version (conflicts only).
    typealias Row = (UUID?, String, Int64, Int64?, String?, Int64?)

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
