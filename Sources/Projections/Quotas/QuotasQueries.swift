import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// The typed reads of the quotas read model, on a connection its caller has prepared
/// (`eventloom.tenant` set; `*` for the expiry reactor's lookups across tenants).
public struct QuotasQueries: ReadModelQueries {
    let connection: PostgresConnection
    let logger: Logger

    public init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// The budgets `ids` of `tenant` (those that exist), each with its chain and latest window.
    public func budgets(tenant: String, ids: [String]) async throws -> [BudgetRow] {
        try await budgets("""
            SELECT b.definition::text, \(unescaped: Self.windowColumns), \(unescaped: Self.chainColumn)
              FROM projection_quotas.budgets b \(unescaped: Self.latestWindow)
             WHERE b.tenant_id = \(tenant) AND b.budget_id = ANY(\(ids))
            """)
    }

    /// A page of `tenant`'s budgets by id, after `after`.
    public func budgets(tenant: String, after: String, limit: Int) async throws -> [BudgetRow] {
        try await budgets("""
            SELECT b.definition::text, \(unescaped: Self.windowColumns), \(unescaped: Self.chainColumn)
              FROM projection_quotas.budgets b \(unescaped: Self.latestWindow)
             WHERE b.tenant_id = \(tenant) AND b.budget_id > \(after)
             ORDER BY b.budget_id LIMIT \(limit)
            """)
    }

    /// The first 100 budgets of `tenant` whose scope is `kind` `id` (e.g. a key's own budgets).
    public func budgets(tenant: String, scope kind: BudgetScope.Kind, id: String) async throws -> [BudgetRow] {
        try await budgets("""
            SELECT b.definition::text, \(unescaped: Self.windowColumns), \(unescaped: Self.chainColumn)
              FROM projection_quotas.budgets b \(unescaped: Self.latestWindow)
             WHERE b.tenant_id = \(tenant) AND b.scope_kind = \(kind.rawValue) AND b.scope_id = \(id)
             ORDER BY b.budget_id LIMIT 100
            """)
    }

    /// Open reservations whose hold expired at or before `now`, soonest first: (tenant, reservation id).
    public func reservationsExpiring(at now: Date, limit: Int) async throws -> [(tenant: String, reservationID: String)] {
        try await connection.queryUnlessClosed("""
            SELECT tenant_id, reservation_id FROM projection_quotas.reservations
             WHERE status = 'open' AND expires_at <= \(now) ORDER BY expires_at LIMIT \(limit)
            """, logger: logger).map { try $0.decode((String, String).self) }
    }

    private static let latestWindow = """
        LEFT JOIN LATERAL (SELECT * FROM projection_quotas.budget_windows w
                            WHERE w.tenant_id = b.tenant_id AND w.budget_id = b.budget_id
                            ORDER BY w.window_start DESC LIMIT 1) w ON true
        """

    private static let windowColumns = """
        w.window_start, w.window_end, w.limit_tokens, w.limit_nano_usd, w.rollover_tokens, w.rollover_nano_usd,
        w.consumed_tokens, w.consumed_nano_usd, w.reserved_tokens, w.reserved_nano_usd, w.crossed, w.exhausted
        """

    private static let chainColumn = """
        (WITH RECURSIVE c(id, parent, depth) AS (
             SELECT b.budget_id, b.parent_id, 0
           UNION ALL
             SELECT p.budget_id, p.parent_id, c.depth + 1 FROM projection_quotas.budgets p
               JOIN c ON p.tenant_id = b.tenant_id AND p.budget_id = c.parent WHERE c.depth < 8)
         SELECT array_agg(id ORDER BY depth) FROM c)
        """

    private typealias Row = (String, Date?, Date?, Int64?, Int64?, Int64?, Int64?, Int64?, Int64?, Int64?, Int64?, [Int64]?, Bool?, [String])

    private func budgets(_ query: PostgresQuery) async throws -> [BudgetRow] {
        var records: [BudgetRow] = []
        for row in try await connection.queryUnlessClosed(query, logger: logger) {
            let row = try row.decode(Row.self)
            guard case .defined(let definition, _) = try BudgetEvent(type: BudgetEvent.Kind.defined.name, schemaVersion: BudgetEvent.Kind.defined.schemaVersion,
                                                               json: row.0)
            else { continue }
            records.append(BudgetRow(definition: definition, chain: row.13, latestWindow: Self.window(row)))
        }
        return records
    }

    private static func window(_ row: Row) -> BudgetRow.Window? {
        guard let start = row.1, let end = row.2 else { return nil }
        let ledger = WindowLedger(
            window: BudgetWindow(start: start, end: end), limit: BudgetLimit(tokens: row.3, nanoUSD: row.4),
            consumed: Amount(tokens: row.7 ?? 0, nanoUSD: row.8 ?? 0), reserved: Amount(tokens: row.9 ?? 0, nanoUSD: row.10 ?? 0),
            crossed: row.11 ?? [], exhausted: row.12 ?? false)
        return BudgetRow.Window(ledger: ledger, rollover: Amount(tokens: row.5 ?? 0, nanoUSD: row.6 ?? 0))
    }
}

/// A budget as the quotas read model has it: its definition, its chain (itself first, then
/// its parents) and its latest window, if one was opened.
public struct BudgetRow: Sendable {
    /// A window's account, with what rolled over into it.
    public struct Window: Sendable {
        public let ledger: WindowLedger
        public let rollover: Amount
    }

    public let definition: BudgetDefinition
    public let chain: [String]
    public let latestWindow: Window?
}
