import Domain
import EventStore
import Foundation
import Hummingbird
import Quotas

/// Reservations against budgets (operator): `POST /v1/budgets/{id}/reservations` → 201
/// with the grant (perhaps degraded) or 429 with `Retry-After`; `POST
/// /v1/reservations/{id}/settle`; `DELETE /v1/reservations/{id}` (release);
/// `GET /v1/reservations/{id}`. The same `request_id` always gets the same reservation.
struct ReservationsController {
    let store: EventStore
    let ledger: QuotaLedger
    let prices: PriceBook
    /// Records the outcome a settlement carries.
    let outcomes: ChannelOutcomeRecorder
    let maximumBodySize: Int
    let clock: WallClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/budgets/:id/reservations") { request, context in try await reserve(request, context) }
        router.get("/v1/reservations/:id") { request, context in try await show(request, context) }
        router.post("/v1/reservations/:id/settle") { request, context in try await settle(request, context) }
        router.delete("/v1/reservations/:id") { request, context in try await release(request, context) }
    }

    private func reserve(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ReservationView> {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        let budgetID = try PathInput(context: context).string("id")
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ReservationInput.self)
        let requestID = try body.requestID(request)
        let wait = try body.maximumWait()
        let chain: [BudgetDefinition]
        do {
            chain = try await ledger.chain(tenant: caller.tenant, budgetID: budgetID)
        } catch BudgetError.notDefined {
            throw APIError.notFound("no budget \(budgetID)")
        }
        let now = clock.now()
        let key = try await key(body.keyId, tenant: caller.tenant)
        let list = try await prices.list(tenant: caller.tenant)
        let group = key?.record.profile.group ?? PriceList.defaultGroup
        var applied: [String: AppliedPrice] = [:]
        for model in Self.models(body.model, chain) { applied[model] = list.price(of: model, group: group, at: now) }
        let reserve = ReserveRequest(
            reservationID: ReservationInput.reservationID(tenant: caller.tenant, requestID: requestID), requestID: requestID,
            keyID: body.keyId, key: key?.record, keyVersion: key?.version, model: body.model, promptTokens: body.promptTokens,
            maxCompletionTokens: body.maxCompletionTokens, prices: applied, ttl: .seconds(body.ttlSeconds ?? 600), now: now)
        let result = try await ledger.reserve(tenant: caller.tenant, budgetID: budgetID, reserve, maximumWait: wait,
                                              metadata: RequestMetadata(request, context).metadata)
        return try response(result, status: .created)
    }

    private func show(_ request: Request, _ context: AppRequestContext) async throws -> ReservationView {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        let id = try Self.reservationID(context)
        let folded = try await store.state(of: Reservation.self, tenant: caller.tenant, stream: Reservation.stream(id))
        guard let view = ReservationView(folded.state, version: folded.version) else { throw APIError.notFound("no reservation \(id)") }
        return view
    }

    private func settle(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ReservationView> {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        let id = try Self.reservationID(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(SettleInput.self)
        let now = clock.now()
        let settlement = try body.request(now: now)
        let metadata = RequestMetadata(request, context).metadata
        let call = body.call == nil ? nil : try await checkedCall(body, reservationID: id, caller: caller, now: now)
        let result = try await ledger.settle(tenant: caller.tenant, reservationID: id, settlement, metadata: metadata)
        // After the settlement, which may still be refused: both are recorded once, so a
        // settlement sent again after a failure between the two records the outcome.
        // The answer's position covers the outcome too (written after), for `consistent_with`.
        var outcomePosition: Cursor?
        if let call { outcomePosition = try await outcomes.record(call, tenant: caller.tenant, now: now, metadata: metadata).position }
        return try response(result, status: .ok, after: outcomePosition)
    }

    /// The call outcome `body` carries, checked against its channel.
    private func checkedCall(_ body: SettleInput, reservationID: String, caller: Caller, now: Date) async throws
        -> ChannelOutcomeRecorder.Checked
    {
        // Reporting to a channel is a gateway's: a key acting for a user may not.
        try caller.requireTenantWide()
        let folded = try await store.state(of: Reservation.self, tenant: caller.tenant, stream: Reservation.stream(reservationID))
        guard let grant = folded.state.grant, let outcome = body.callOutcome(of: grant) else {
            throw APIError.notFound("no reservation \(reservationID)")
        }
        return try await outcomes.check([outcome], tenant: caller.tenant, now: now) { _ in "call" }
    }

    private func release(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ReservationView> {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        let id = try Self.reservationID(context)
        let result = try await ledger.release(tenant: caller.tenant, reservationID: id, now: clock.now(),
                                              metadata: RequestMetadata(request, context).metadata)
        return try response(result, status: .ok)
    }

    /// The reservation's answer; its position is `after` when a later write of the request
    /// (the call's outcome) has one.
    private func response(_ result: LedgerResult, status: HTTPResponse.Status, after: Cursor? = nil) throws
        -> EditedResponse<ReservationView>
    {
        guard let view = ReservationView(result.reservation, version: result.version) else { throw ReservationError.notFound }
        return WriteResponse.make(view, status: status, version: result.version, position: after ?? result.position,
                                  replayed: result.position == nil)
    }

    /// The key `keyID` names and the version of its stream (the ledger guards the grant with it).
    private func key(_ keyID: String?, tenant: String) async throws -> (record: KeyRecord, version: Int64)? {
        guard let keyID else { return nil }
        return try await store.keyRecord(keyID, tenant: tenant)
    }

    /// `model` and every model a budget of `chain` may degrade it to.
    private static func models(_ model: String, _ chain: [BudgetDefinition]) -> Set<String> {
        var models: Set<String> = [model]
        for definition in chain {
            if case .degrade(let map) = definition.overflow, let target = map[model] { models.insert(target.model) }
        }
        return models
    }

    private static func reservationID(_ context: AppRequestContext) throws -> String {
        let id = try PathInput(context: context).string("id")
        guard Identifiers.isValidStream(Reservation.stream(id)) else { throw APIError.notFound("no reservation \(id)") }
        return id
    }
}
