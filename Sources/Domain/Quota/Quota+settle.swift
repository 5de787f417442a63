import Foundation

extension Quota {
    /// Settles an open reservation with the usage reported: the billing rule picks the
    /// usage billed, its cost at the reservation's price is charged up to what the hold
    /// and (in the hold's window, while it is current) the budgets' remainders cover,
    /// and the rest of the hold is refunded. A retry with the same report changes nothing.
    ///
    /// A reservation that already expired is settled **late**: its hold was refunded at
    /// expiry, so the cost is charged in the window of each budget that holds
    /// `request.now`, up to what the tightest hard budget has left there (the rest is
    /// `uncovered`), and nothing is refunded. The usage is never dropped.
    /// - Throws: ``ReservationError`` when the reservation is missing, released or
    ///   settled with another report, or a usage is invalid.
    public static func settle(
        _ request: SettleRequest, reservation: ReservationState, chain: [BudgetState]
    ) throws -> QuotaDecision {
        if case .expired(let grant, _) = reservation { return try settleLate(request, grant: grant, reservation, chain: chain) }
        guard case .open(let grant) = reservation else {
            let settled = try Reservation.decide(.settle(settlement(request, grant: nil)), reservation)
            return QuotaDecision(reservation: settled, budgets: [], state: reservation)
        }
        try validate(request)
        try validateChain(chain, holding: grant)
        let charge = charge(for: request, grant: grant, chain: chain)
        let budgets = try decideEach(chain) { index, _ in
            .consume(reservationID: grant.reservationID, windowStart: grant.holds[index].windowStart,
                     held: grant.amount, charged: charge.charged, now: request.now)
        }
        let events = try Reservation.decide(.settle(charge), reservation)
        return QuotaDecision(reservation: events, budgets: budgets, state: events.reduce(reservation, Reservation.evolve))
    }

    private static func settleLate(
        _ request: SettleRequest, grant: ReservationGrant, _ reservation: ReservationState, chain: [BudgetState]
    ) throws -> QuotaDecision {
        try validate(request)
        try validateChain(chain, holding: grant)
        var settlement = settlement(request, grant: grant)
        (settlement.rule, settlement.billed, settlement.cost) = bill(request, grant: grant)
        let room = chain.reduce(Amount(tokens: .max, nanoUSD: .max)) { Amount.minimum($0, lateRoom($1, now: request.now)) }
        settlement.charged = Amount.minimum(settlement.cost, room)
        settlement.uncovered = settlement.cost - settlement.charged
        settlement.late = true
        let budgets = try decideEach(chain) { _, _ in
            .chargeLate(reservationID: grant.reservationID, charged: settlement.charged, now: request.now)
        }
        let events = try Reservation.decide(.settle(settlement), reservation)
        return QuotaDecision(reservation: events, budgets: budgets, state: events.reduce(reservation, Reservation.evolve))
    }

    /// What a budget can charge without a hold at `now`: unlimited for a soft budget; else
    /// what is left in the window holding `now` (a window not opened yet: its whole limit,
    /// rollover included).
    private static func lateRoom(_ state: BudgetState, now: Date) -> Amount {
        guard let definition = state.definition, definition.hard else { return Amount(tokens: .max, nanoUSD: .max) }
        let opened = Budget.windowOpening(definition, state, now: now).map { Budget.evolve(state, $0) } ?? state
        return opened.current?.remaining.clampedAtZero ?? .zero
    }

    /// The billing rule, the usage it bills and that usage's cost at the reservation's price.
    private static func bill(_ request: SettleRequest, grant: ReservationGrant) -> (BillingRule, TokenUsage, Amount) {
        let reserved = TokenUsage(prompt: grant.promptTokens, completion: grant.maxCompletionTokens)
        let (rule, billed) = BillingRule.choose(outcome: request.outcome, upstream: request.upstreamUsage,
                                                local: request.localEstimate, reserved: reserved)
        return (rule, billed, grant.price.amount(of: billed))
    }

    private static func charge(for request: SettleRequest, grant: ReservationGrant, chain: [BudgetState]) -> Settlement {
        let (rule, billed, cost) = bill(request, grant: grant)
        let extra = zip(chain, grant.holds).reduce(Amount(tokens: .max, nanoUSD: .max)) { room, pair in
            Amount.minimum(room, extraRoom(pair.0, hold: pair.1, now: request.now))
        }
        let ceiling = Amount(tokens: grant.amount.tokens.addingReportingOverflow(extra.tokens).overflow ? .max : grant.amount.tokens + extra.tokens,
                             nanoUSD: grant.amount.nanoUSD.addingReportingOverflow(extra.nanoUSD).overflow ? .max : grant.amount.nanoUSD + extra.nanoUSD)
        let charged = Amount.minimum(cost, ceiling)
        var settlement = settlement(request, grant: grant)
        settlement.rule = rule
        settlement.billed = billed
        settlement.cost = cost
        settlement.charged = charged
        settlement.uncovered = cost - charged
        settlement.refunded = (grant.amount - charged).clampedAtZero
        return settlement
    }

    /// What a budget can charge beyond the hold: its remainder while the hold's window is
    /// current; nothing once it has passed (its unused part may have rolled over).
    private static func extraRoom(_ state: BudgetState, hold: BudgetHold, now: Date) -> Amount {
        guard let definition = state.definition, definition.hard else { return Amount(tokens: .max, nanoUSD: .max) }
        guard let ledger = state.current, ledger.window.start == hold.windowStart, ledger.window.contains(now) else {
            return .zero
        }
        return ledger.remaining
    }

    private static func settlement(_ request: SettleRequest, grant: ReservationGrant?) -> Settlement {
        Settlement(reservationID: grant?.reservationID ?? "", outcome: request.outcome, upstreamUsage: request.upstreamUsage,
                   localEstimate: request.localEstimate, rule: .noCharge, billed: .zero, cost: .zero, charged: .zero,
                   uncovered: .zero, refunded: .zero, at: request.now)
    }

    static func validateChain(_ chain: [BudgetState], holding grant: ReservationGrant) throws {
        guard chain.map({ $0.definition?.budgetID }) == grant.holds.map(\.budgetID) else {
            throw ReservationError.invalidRequest(reason: "the budgets given are not the reservation's chain")
        }
    }

    private static func validate(_ request: SettleRequest) throws {
        for usage in [request.upstreamUsage, request.localEstimate].compactMap({ $0 }) {
            guard usage.isValid, usage.prompt <= ReserveRequest.maximumTokens, usage.completion <= ReserveRequest.maximumTokens else {
                throw ReservationError.invalidRequest(reason: "token counts are 0-\(ReserveRequest.maximumTokens), cached within prompt")
            }
        }
    }
}
