import EventStore
import Foundation
import Logging
import PostgresNIO

/// Which audit rows a page holds: every filter is optional; `after` is the cursor the page starts after.
public struct AuditFilter: Sendable {
    public var actor: String?
    public var action: String?
    public var resource: String?
    public var category: String?
    /// Recorded at or after.
    public var from: Date?
    /// Recorded before.
    public var to: Date?
    public var after: Cursor = .start

    public init() {}
}

/// One row of the audit read model.
public struct AuditRow: Sendable, Hashable {
    /// The event's cursor: its transaction id (as text) and global position.
    public let transaction: String
    public let position: Int64
    public let eventID: UUID
    public let recordedAtMicros: Int64
    public let actor: String?
    public let action: String
    public let resource: String
    public let category: String
    public let outcome: String
    public let clientIP: String?
    public let userAgent: String?
    public let correlationID: String?
    /// The data subject whose key sealed `clientIP` and `userAgent`, if any.
    public let dataSubject: String?
}

/// The typed reads of the audit read model, on a connection its caller has prepared
/// (`eventloom.tenant` set: the table is under row-level security).
public struct AuditQueries: ReadModelQueries {
    let connection: PostgresConnection
    let logger: Logger

    public init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// The page of `tenant`'s rows that `filter` selects, in cursor order, at most `limit`.
    public func page(tenant: String, _ filter: AuditFilter, limit: Int) async throws -> [AuditRow] {
        try await connection.queryUnlessClosed(Self.sql(tenant: tenant, filter, limit: limit), logger: logger).map { row in
            let (tx, position, id, micros, actor, action, resource, category, outcome, ip, agent, correlation, subject) =
                try row.decode((String, Int64, UUID, Int64, String?, String, String, String, String, String?, String?, String?,
                                String?).self)
            return AuditRow(transaction: tx, position: position, eventID: id, recordedAtMicros: micros, actor: actor,
                            action: action, resource: resource, category: category, outcome: outcome, clientIP: ip,
                            userAgent: agent, correlationID: correlation, dataSubject: subject)
        }
    }

    static let columns = """
        a.tx_id::text AS tx_text, a.global_position, a.event_id, (extract(epoch FROM a.recorded_at) * 1000000)::int8,
        a.actor, a.action, a.resource, a.category, a.outcome, a.client_ip, a.user_agent, a.correlation_id, a.data_subject
        """

    /// One query with bind parameters; the column names come from fixed text, never from input.
    static func sql(tenant: String, _ filter: AuditFilter, limit: Int) -> PostgresQuery {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 512, interpolationCount: 10)
        sql.appendLiteral("SELECT \(columns) FROM projection_audit.audit_events a WHERE a.tenant_id = ")
        sql.appendInterpolation(tenant)
        sql.appendLiteral(" AND (a.tx_id, a.global_position) > (")
        sql.appendInterpolation(String(filter.after.transaction))
        sql.appendLiteral("::xid8, ")
        sql.appendInterpolation(filter.after.position)
        sql.appendLiteral(")")
        let equalities = [("actor", filter.actor), ("action", filter.action), ("resource", filter.resource),
                          ("category", filter.category)]
        for (column, value) in equalities {
            guard let value else { continue }
            sql.appendLiteral(" AND a.\(column) = ")
            sql.appendInterpolation(value)
        }
        if let from = filter.from {
            sql.appendLiteral(" AND a.recorded_at >= ")
            sql.appendInterpolation(from)
        }
        if let to = filter.to {
            sql.appendLiteral(" AND a.recorded_at < ")
            sql.appendInterpolation(to)
        }
        sql.appendLiteral(" ORDER BY a.tx_id, a.global_position LIMIT ")
        sql.appendInterpolation(limit)
        return PostgresQuery(stringInterpolation: sql)
    }
}
