import Domain
import EventStore
import Foundation
import Hummingbird

/// The tenant's price list (admin writes, anyone reads): `PUT /v1/models/{model}/price`
/// sets a model's price from a time on; `GET` shows the price in effect and its history;
/// `PUT /v1/price-groups/{group}` sets a group's multiplier.
struct PricesController {
    let store: EventStore
    let prices: PriceBook
    let maximumBodySize: Int
    let clock: WallClock

    struct SetPrice: Decodable {
        let inputPer1K: String
        let outputPer1K: String
        let cachedPer1K: String?
        let effectiveAt: String?
    }

    struct SetMultiplier: Decodable {
        let multiplier: String
        let effectiveAt: String?
    }

    struct Entry: Codable, Equatable {
        let price: PriceView
        let effectiveAt: String
    }

    struct ModelPriceView: ResponseEncodable, Equatable {
        let model: String
        let current: Entry?
        let history: [Entry]
        let streamVersion: Int64
    }

    struct GroupView: ResponseEncodable, Equatable {
        let group: String
        let multiplier: String
        let effectiveAt: String
        let streamVersion: Int64
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.put("/v1/models/:model/price") { request, context in try await setPrice(request, context) }
        router.get("/v1/models/:model/price") { request, context in try await show(request, context) }
        router.put("/v1/price-groups/:group") { request, context in try await setMultiplier(request, context) }
    }

    private func setPrice(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ModelPriceView> {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        let model = try PathInput(context: context).string("model")
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(SetPrice.self)
        let price = try PriceView(inputPer1K: body.inputPer1K, outputPer1K: body.outputPer1K, cachedPer1K: body.cachedPer1K).price()
        let now = clock.now()
        let effectiveAt = try APITime.parse(body.effectiveAt, field: "effective_at") ?? now
        let outcome = try await handle(.setPrice(model: model, price: price, effectiveAt: effectiveAt, now: now), request, context)
        return WriteResponse.make(view(model, outcome.state, version: outcome.version, now: now), version: outcome.version,
                                  position: outcome.append?.lastCursor)
    }

    private func setMultiplier(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<GroupView> {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        let group = try PathInput(context: context).string("group")
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(SetMultiplier.self)
        let multiplier = try USD.micros(body.multiplier, field: "multiplier")
        let now = clock.now()
        let effectiveAt = try APITime.parse(body.effectiveAt, field: "effective_at") ?? now
        let outcome = try await handle(.setMultiplier(group: group, multiplierPPM: multiplier, effectiveAt: effectiveAt, now: now),
                                       request, context)
        let view = GroupView(group: group, multiplier: USD.text(micros: multiplier), effectiveAt: APITime.text(effectiveAt),
                             streamVersion: outcome.version)
        return WriteResponse.make(view, version: outcome.version, position: outcome.append?.lastCursor)
    }

    private func show(_ request: Request, _ context: AppRequestContext) async throws -> ModelPriceView {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        let model = try PathInput(context: context).string("model")
        let folded = try await store.state(of: PriceList.self, tenant: caller.tenant, stream: PriceList.stream)
        guard folded.state.models[model] != nil else { throw APIError.notFound("no price for model \(model)") }
        return view(model, folded.state, version: folded.version, now: clock.now())
    }

    private func handle(_ command: PriceListCommand, _ request: Request, _ context: AppRequestContext) async throws
        -> CommandHandler<PriceList>.Outcome
    {
        let caller = try context.requireCaller()
        let outcome = try await CommandHandler(store: store, decider: PriceList.self).handle(
            [command], tenant: caller.tenant, stream: PriceList.stream, ifVersion: try WriteResponse.ifMatch(request),
            metadata: RequestMetadata(request, context).metadata)
        prices.invalidate(tenant: caller.tenant)
        return outcome
    }

    private func view(_ model: String, _ state: PriceListState, version: Int64, now: Date) -> ModelPriceView {
        let entries = state.models[model]?.entries ?? []
        let history = entries.map { Entry(price: PriceView($0.value), effectiveAt: APITime.text($0.effectiveAt)) }
        let current = entries.last { $0.effectiveAt <= now }.map { Entry(price: PriceView($0.value), effectiveAt: APITime.text($0.effectiveAt)) }
        return ModelPriceView(model: model, current: current, history: history, streamVersion: version)
    }
}
