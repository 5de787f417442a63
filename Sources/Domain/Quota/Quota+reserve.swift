import Foundation

extension Quota {
    /// Holds the estimate of `request` on every budget of `chain` (leaf first). A budget
    /// that cannot afford it and degrades grants its cheaper model instead; a retry of
    /// the same request returns the reservation already made, with no events.
    /// - Throws: ``BudgetError/insufficient(budgetID:remaining:retryAt:)`` from the first
    ///   budget that cannot afford even the degraded grant; ``ReservationError`` for a
    ///   request id used for another request or an invalid request.
    public static func reserve(
        _ request: ReserveRequest, reservation: ReservationState, chain: [BudgetState]
    ) throws -> QuotaDecision {
        if let grant = reservation.grant {
            guard request.isAnsweredBy(grant), grant.holds.first?.budgetID == chain.first?.definition?.budgetID else {
                throw ReservationError.requestMismatch(reservationID: grant.reservationID)
            }
            return QuotaDecision(reservation: [], budgets: [], state: reservation)
        }
        try validate(request)
        try validateKey(request)
        try validateChain(chain)
        do {
            return try grant(request, model: request.model, maxCompletionTokens: request.maxCompletionTokens, chain)
        } catch let BudgetError.insufficient(budgetID, remaining, retryAt) {
            guard let degradation = degradation(for: request.model, budgetID: budgetID, chain),
                  request.prices[degradation.model] != nil, request.key?.profile.allows(model: degradation.model) ?? true else {
                throw BudgetError.insufficient(budgetID: budgetID, remaining: remaining, retryAt: retryAt)
            }
            return try grant(request, model: degradation.model,
                             maxCompletionTokens: min(request.maxCompletionTokens, degradation.maxCompletionTokens), chain)
        }
    }

    private static func grant(
        _ request: ReserveRequest, model: String, maxCompletionTokens: Int64, _ chain: [BudgetState]
    ) throws -> QuotaDecision {
        guard let price = request.prices[model] else {
            throw ReservationError.invalidRequest(reason: "no price is set for model \"\(model)\"")
        }
        let amount = price.amount(of: TokenUsage(prompt: request.promptTokens, completion: maxCompletionTokens))
        let budgets = try decideEach(chain) { _, _ in
            .reserve(reservationID: request.reservationID, amount: amount, now: request.now)
        }
        let holds = budgets.map { budget in
            BudgetHold(budgetID: budget.budgetID, windowStart: budget.events.lazy.compactMap(\.reservedWindowStart).first!)
        }
        let grant = ReservationGrant(
            reservationID: request.reservationID, requestID: request.requestID, keyID: request.keyID, holds: holds,
            requestedModel: request.model, model: model, promptTokens: request.promptTokens,
            maxCompletionTokens: maxCompletionTokens, amount: amount, price: price,
            expiresAt: request.now.addingTimeInterval(request.ttl.seconds), openedAt: request.now)
        return QuotaDecision(reservation: [.opened(grant)], budgets: budgets, state: .open(grant))
    }

    private static func degradation(for model: String, budgetID: String, _ chain: [BudgetState]) -> Degradation? {
        guard let definition = chain.lazy.compactMap(\.definition).first(where: { $0.budgetID == budgetID }),
              case .degrade(let models) = definition.overflow else { return nil }
        return models[model]
    }

    private static func validateKey(_ request: ReserveRequest) throws {
        guard let keyID = request.keyID else { return }
        guard let key = request.key, key.profile.keyID == keyID else {
            throw ReservationError.invalidRequest(reason: "key \(keyID) does not exist")
        }
        guard key.isUsable(at: request.now) else {
            throw ReservationError.keyNotUsable(keyID: keyID, status: key.deleted ? "deleted" : key.effectiveStatus(at: request.now).rawValue)
        }
        guard key.profile.allows(model: request.model) else { throw ReservationError.modelNotAllowed(model: request.model) }
    }

    private static func validate(_ request: ReserveRequest) throws {
        let problem: String? = switch request {
        case _ where !BudgetDefinition.isName(request.requestID) || request.requestID.count > ReserveRequest.maximumRequestIDLength:
            "request_id must be 1-\(ReserveRequest.maximumRequestIDLength) printable characters"
        case _ where !BudgetDefinition.isName(request.model): "model must be 1-\(BudgetDefinition.maximumNameLength) printable characters"
        case _ where !(0...ReserveRequest.maximumTokens).contains(request.promptTokens),
             _ where !(0...ReserveRequest.maximumTokens).contains(request.maxCompletionTokens):
            "prompt_tokens and max_completion_tokens are 0-\(ReserveRequest.maximumTokens)"
        case _ where !ReserveRequest.ttlRange.contains(request.ttl): "ttl is 1 s to 24 h"
        default: nil
        }
        if let problem { throw ReservationError.invalidRequest(reason: problem) }
    }
}

extension BudgetEvent {
    /// The window start of a `tokensReserved` event.
    var reservedWindowStart: Date? {
        if case .tokensReserved(_, _, let start, _, _) = self { return start }
        return nil
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
