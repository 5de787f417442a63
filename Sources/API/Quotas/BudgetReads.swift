import Domain
import Foundation
import Projections

/// Budgets as the quotas read model has them (`Projections/Quotas/QuotasQueries`), as
/// response bodies: definition, chain and current window.
struct BudgetReads {
    let database: TenantDatabase

    /// The budgets `ids` of `tenant` (those that exist), each with its chain.
    func budgets(tenant: String, ids: [String], now: Date) async throws -> [BudgetView] {
        try await read(as: tenant, now: now) { try await $0.budgets(tenant: tenant, ids: ids) }
    }

    /// A page of `tenant`'s budgets by id, after `after`.
    func budgets(tenant: String, after: String, limit: Int, now: Date) async throws -> [BudgetView] {
        try await read(as: tenant, now: now) { try await $0.budgets(tenant: tenant, after: after, limit: limit) }
    }

    /// The budgets of `tenant` whose scope is `kind` `id` (e.g. a key's own budgets).
    func budgets(tenant: String, scope kind: BudgetScope.Kind, id: String, now: Date) async throws -> [BudgetView] {
        try await read(as: tenant, now: now) { try await $0.budgets(tenant: tenant, scope: kind, id: id) }
    }

    private func read(as tenant: String, now: Date, _ body: (QuotasQueries) async throws -> [BudgetRow]) async throws
        -> [BudgetView] {
        let records = try await database.queries(QuotasQueries.self, as: tenant, body)
        return records.map { BudgetView($0.definition, chain: $0.chain, window: Self.window($0, now: now)) }
    }

    /// The latest window while it lasts; once it has passed (or before any), the window
    /// holding `now`, empty, at the base limit (a rollover shows once it opens).
    private static func window(_ record: BudgetRow, now: Date) -> BudgetView.Window {
        if let latest = record.latestWindow, now < latest.ledger.window.end {
            return BudgetView.Window(latest.ledger, rollover: latest.rollover)
        }
        let definition = record.definition
        return BudgetView.Window(WindowLedger(window: definition.window(containing: now), limit: definition.limit), rollover: .zero)
    }
}
