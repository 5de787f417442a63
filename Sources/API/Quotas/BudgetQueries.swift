import Domain
import Foundation
import PostgresNIO

/// Budgets as the quotas read model has them: definition, chain and latest window.
struct BudgetQueries {
    let database: TenantDatabase

    /// The budgets `ids` of `tenant` (those that exist), each with its chain.
    func budgets(tenant: String, ids: [String], now: Date) async throws -> [BudgetView] {
        try await database.read(as: tenant) { connection in
            try await rows(connection, """
                SELECT b.definition::text, \(unescaped: Self.windowColumns), \(unescaped: Self.chainColumn)
                  FROM projection_quotas.budgets b \(unescaped: Self.latestWindow)
                 WHERE b.tenant_id = \(tenant) AND b.budget_id = ANY(\(ids))
                """, now: now)
        }
    }

    /// A page of `tenant`'s budgets by id, after `after`.
    func budgets(tenant: String, after: String, limit: Int, now: Date) async throws -> [BudgetView] {
        try await database.read(as: tenant) { connection in
            try await rows(connection, """
                SELECT b.definition::text, \(unescaped: Self.windowColumns), \(unescaped: Self.chainColumn)
                  FROM projection_quotas.budgets b \(unescaped: Self.latestWindow)
                 WHERE b.tenant_id = \(tenant) AND b.budget_id > \(after)
                 ORDER BY b.budget_id LIMIT \(limit)
                """, now: now)
        }
    }

    /// The budgets of `tenant` whose scope is `kind` `id` (e.g. a key's own budgets).
    func budgets(tenant: String, scope kind: BudgetScope.Kind, id: String, now: Date) async throws -> [BudgetView] {
        try await database.read(as: tenant) { connection in
            try await rows(connection, """
                SELECT b.definition::text, \(unescaped: Self.windowColumns), \(unescaped: Self.chainColumn)
                  FROM projection_quotas.budgets b \(unescaped: Self.latestWindow)
                 WHERE b.tenant_id = \(tenant) AND b.scope_kind = \(kind.rawValue) AND b.scope_id = \(id)
                 ORDER BY b.budget_id LIMIT 100
                """, now: now)
        }
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

    private func rows(_ connection: PostgresConnection, _ query: PostgresQuery, now: Date) async throws -> [BudgetView] {
        var views: [BudgetView] = []
        for try await row in try await connection.query(query, logger: database.logger).decode(Row.self) {
            guard case .defined(let definition, _) = try BudgetEvent(type: BudgetEvent.Kind.defined.name, schemaVersion: 1, json: row.0) else { continue }
            views.append(BudgetView(definition, chain: row.13, window: window(definition, row, now: now)))
        }
        return views
    }

    /// The latest window while it lasts; once it has passed (or before any), the window
    /// holding `now`, empty, at the base limit (a rollover shows once it opens).
    private func window(_ definition: BudgetDefinition, _ row: Row, now: Date) -> BudgetView.Window {
        if let start = row.1, let end = row.2, now < end {
            let ledger = WindowLedger(
                window: BudgetWindow(start: start, end: end), limit: BudgetLimit(tokens: row.3, nanoUSD: row.4),
                consumed: Amount(tokens: row.7 ?? 0, nanoUSD: row.8 ?? 0), reserved: Amount(tokens: row.9 ?? 0, nanoUSD: row.10 ?? 0),
                crossed: row.11 ?? [], exhausted: row.12 ?? false)
            return BudgetView.Window(ledger, rollover: Amount(tokens: row.5 ?? 0, nanoUSD: row.6 ?? 0))
        }
        return BudgetView.Window(WindowLedger(window: definition.window(containing: now), limit: definition.limit), rollover: .zero)
    }
}
