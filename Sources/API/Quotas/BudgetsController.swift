import Domain
import EventStore
import Foundation
import Hummingbird
import Projections
import Quotas

/// `POST /v1/budgets` defines a budget (admin); `GET /v1/budgets` and
/// `GET /v1/budgets/{id}` read them from the quotas read model, with their chain and
/// current window; `GET /v1/budgets/{id}/events` follows a budget live (SSE).
struct BudgetsController {
    let store: EventStore
    let ledger: QuotaLedger
    let database: TenantDatabase
    let consistency: Consistency
    let live: LiveController
    let maximumBodySize: Int
    let maximumPageSize: Int
    let clock: WallClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/budgets") { request, context in try await define(request, context) }
        router.get("/v1/budgets") { request, context in try await list(request, context) }
        router.get("/v1/budgets/:id") { request, context in try await show(request, context) }
        router.get("/v1/budgets/:id/events") { request, context in try await follow(request, context) }
    }

    private func define(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<BudgetView> {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(BudgetInput.self)
        let now = clock.now()
        let definition = try body.definition(now: now)
        var chain = [definition.budgetID]
        if let parent = definition.parentID {
            do {
                chain += try await ledger.chain(tenant: caller.tenant, budgetID: parent).map(\.budgetID)
            } catch BudgetError.notDefined {
                throw APIError.invalid("parent_id", "names no budget")
            }
            guard chain.count <= Quota.maximumChainLength else {
                throw APIError.invalid("parent_id", "a chain has at most \(Quota.maximumChainLength) budgets")
            }
        }
        let outcome = try await CommandHandler(store: store, decider: Budget.self).handle(
            .define(definition, now: now), tenant: caller.tenant, stream: Budget.stream(definition.budgetID),
            metadata: RequestMetadata(request, context).metadata)
        let view = BudgetView(definition, chain: chain, streamVersion: outcome.version, position: outcome.append?.lastCursor.description)
        return WriteResponse.make(view, status: outcome.append == nil ? .ok : .created, version: outcome.version,
                                  position: outcome.append?.lastCursor, replayed: outcome.append == nil)
    }

    private func show(_ request: Request, _ context: AppRequestContext) async throws -> BudgetView {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        let id = try PathInput(context: context).string("id")
        try await consistency.wait(for: "quotas", askedBy: request)
        guard BudgetDefinition.isIdentifier(id),
              let view = try await BudgetReads(database: database).budgets(tenant: caller.tenant, ids: [id], now: clock.now()).first else {
            throw APIError.notFound("no budget \(id)")
        }
        return view
    }

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        let input = QueryInput(request: request)
        let limit = try input.int("limit", in: 1...maximumPageSize) ?? 100
        let after = try input.string("after", maximumLength: BudgetDefinition.maximumNameLength) ?? ""
        try await consistency.wait(for: "quotas", askedBy: request)
        let views = try await BudgetReads(database: database).budgets(tenant: caller.tenant, after: after, limit: limit, now: clock.now())
        let lines = try views.map { String(decoding: try JSONCoding.encoder.encode($0), as: UTF8.self) }
        return JSONPage.response(JSONPage(items: "budgets", lines: lines, next: views.count == limit ? views.last?.id : nil).body)
    }

    private func follow(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.reader, .auditor, .admin)
        let id = try PathInput(context: context).string("id")
        do {
            _ = try await ledger.definition(tenant: caller.tenant, budgetID: id)
        } catch BudgetError.notDefined {
            throw APIError.notFound("no budget \(id)")
        }
        return try await live.stream(request, context, stream: Budget.stream(id))
    }
}
