import EventStore
import Logging
import PostgresNIO

/// The audit read model: one row per event of the log, who did what to which resource,
/// when and from where, indexed for the filters of `GET /v1/audit`. Where a request came
/// from is personal data of the event's data subject, kept as the log stores it (sealed);
/// the API reveals it (version 2 added the subject, to reveal it with).
public struct AuditProjection: InDatabaseProjection {
    public let name = "audit"
    public let version = 2

    public init() {}

    public func createTables(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.queryUnlessClosed("""
            CREATE TABLE audit_events (
                tenant_id       text        NOT NULL,
                tx_id           xid8        NOT NULL,
                global_position bigint      NOT NULL,
                event_id        uuid        NOT NULL,
                recorded_at     timestamptz NOT NULL,
                actor           text,
                action          text        NOT NULL,
                resource        text        NOT NULL,
                category        text        NOT NULL,
                outcome         text        NOT NULL,
                client_ip       text,
                user_agent      text,
                correlation_id  text,
                data_subject    text
            )
            """, logger: logger)
        try await connection.queryUnlessClosed("ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY", logger: logger)
        try await connection.queryUnlessClosed("ALTER TABLE audit_events FORCE ROW LEVEL SECURITY", logger: logger)
        try await connection.queryUnlessClosed("""
            CREATE POLICY tenant_rows ON audit_events
                USING (eventloom_visible_tenant(tenant_id)) WITH CHECK (eventloom_visible_tenant(tenant_id))
            """, logger: logger)
    }

    public func createIndexes(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.queryUnlessClosed("ALTER TABLE audit_events ADD PRIMARY KEY (tenant_id, tx_id, global_position)",
                                   logger: logger)
        for column in ["actor", "action", "resource", "category"] {
            try await connection.queryUnlessClosed("""
                CREATE INDEX audit_events_\(unescaped: column) ON audit_events (tenant_id, \(unescaped: column), tx_id, global_position)
                """, logger: logger)
        }
        try await connection.queryUnlessClosed("CREATE INDEX audit_events_time ON audit_events (tenant_id, recorded_at)",
                                   logger: logger)
    }

    /// The rebuild's insert, from the stored columns; gives the rows ``apply(_:on:logger:)`` gives.
    public var applyBatchSQL: String {
        """
        INSERT INTO audit_events (tenant_id, tx_id, global_position, event_id, recorded_at, actor, action,
                                  resource, category, outcome, client_ip, user_agent, correlation_id, data_subject)
        SELECT b.tenant_id, b.tx_id, b.global_position, b.event_id, b.recorded_at, b.metadata ->> 'actor', b.type,
               b.stream_id, b.category,
               CASE WHEN b.type ~ '(\(AuditOutcome.failureSuffixes.joined(separator: "|")))$' THEN 'failure' ELSE 'success' END,
               b.metadata ->> 'clientIp', b.metadata ->> 'userAgent', b.metadata ->> 'correlationId',
               b.metadata ->> 'dataSubject'
          FROM batch b
        """
    }

    /// The audit keeps the sealed form of where requests came from, which the destroyed key
    /// no longer opens; the rows themselves are the record of what happened, and stay.
    public func erase(subject: String, tenant: String, on connection: PostgresConnection, logger: Logger) async throws {}

    public func apply(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws {
        let rows = AuditRows(events)
        try await connection.queryUnlessClosed("""
            INSERT INTO audit_events (tenant_id, tx_id, global_position, event_id, recorded_at, actor, action,
                                      resource, category, outcome, client_ip, user_agent, correlation_id, data_subject)
            SELECT e.tenant_id, e.tx::xid8, e.position, e.event_id,
                   timestamptz 'epoch' + e.micros * interval '1 microsecond',
                   e.metadata ->> 'actor', e.action, e.resource, e.category, e.outcome,
                   e.metadata ->> 'clientIp', e.metadata ->> 'userAgent', e.metadata ->> 'correlationId',
                   e.metadata ->> 'dataSubject'
              FROM unnest(\(rows.tenants)::text[], \(rows.transactions)::text[], \(rows.positions)::int8[],
                          \(rows.ids)::uuid[], \(rows.micros)::int8[], \(rows.metadata)::jsonb[],
                          \(rows.actions)::text[], \(rows.resources)::text[], \(rows.categories)::text[],
                          \(rows.outcomes)::text[])
                   AS e(tenant_id, tx, position, event_id, micros, metadata, action, resource, category, outcome)
            """, logger: logger)
    }
}
