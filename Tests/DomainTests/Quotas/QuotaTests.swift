import Domain
import Foundation
import Testing

@Suite struct QuotaTests {
    let key = tokenBudget("key1", limit: 1_000, parent: "tenant")
    let tenant = tokenBudget("tenant", limit: 10_000)

    func chain(keyUsed: Int64 = 0, tenantUsed: Int64 = 0) -> [BudgetState] {
        [Budget.fold([.defined(key, at: noon), opened(key, noon)] + (keyUsed > 0 ? [reserved(key, "x", tokens(keyUsed), noon)] : [])),
         Budget.fold([.defined(tenant, at: noon), opened(tenant, noon)] + (tenantUsed > 0 ? [reserved(tenant, "x", tokens(tenantUsed), noon)] : []))]
    }

    @Test func reserve_onAChain_holdsTheSameAmountOnEveryBudget() throws {
        let decision = try Quota.reserve(reserveRequest("r1"), reservation: .none, chain: chain())
        let amount = Amount(tokens: 200, nanoUSD: 300)
        #expect(decision.budgets.map(\.budgetID) == ["key1", "tenant"])
        #expect(decision.budgets[0].events == [reserved(key, "r1", amount, noon)])
        #expect(decision.budgets[1].events == [reserved(tenant, "r1", amount, noon)])
        #expect(decision.state.grant?.amount == amount)
        #expect(decision.state.grant?.holds.map(\.budgetID) == ["key1", "tenant"])
    }

    @Test func reserve_whenTheRootCannotAfford_refusesAndHoldsNothing() {
        #expect(throws: BudgetError.insufficient(budgetID: "tenant", remaining: Amount(tokens: 100, nanoUSD: .max),
                                                 retryAt: instant("2026-06-11T00:00:00Z"))) {
            try Quota.reserve(reserveRequest("r1"), reservation: .none, chain: chain(tenantUsed: 9_900))
        }
    }

    @Test func reserve_withChainOutOfOrder_isRefused() {
        #expect(throws: ReservationError.invalidRequest(reason: "budget tenant is not followed by its parent")) {
            try Quota.reserve(reserveRequest("r1"), reservation: .none, chain: chain().reversed())
        }
    }

    @Test func reserve_retriedWithTheSameRequest_returnsTheFirstGrantWithoutEvents() throws {
        let first = try Quota.reserve(reserveRequest("r1"), reservation: .none, chain: chain())
        let retry = try Quota.reserve(reserveRequest("r1", now: noon.addingTimeInterval(5)), reservation: first.state, chain: chain())
        #expect(retry.isEmpty)
        #expect(retry.state == first.state)
    }

    @Test func reserve_reusingARequestIdForAnotherRequest_isRefused() throws {
        let first = try Quota.reserve(reserveRequest("r1"), reservation: .none, chain: chain())
        #expect(throws: ReservationError.requestMismatch(reservationID: "r1")) {
            try Quota.reserve(reserveRequest("r1", prompt: 5), reservation: first.state, chain: chain())
        }
    }

    @Test func reserve_withoutAPriceForTheModel_isRefused() {
        #expect(throws: ReservationError.invalidRequest(reason: "no price is set for model \"m9\"")) {
            try Quota.reserve(reserveRequest("r1", model: "m9"), reservation: .none, chain: chain())
        }
    }

    @Test func reserve_onADegradingBudgetThatCannotAfford_grantsTheCheaperModel() throws {
        let degrading = tokenBudget("key1", limit: 1_000, parent: "tenant",
                                    overflow: .degrade(models: ["m1": Degradation(model: "m0", maxCompletionTokens: 50)]))
        let states = [Budget.fold([.defined(degrading, at: noon), opened(degrading, noon), reserved(degrading, "x", tokens(850), noon)]),
                      chain()[1]]
        let decision = try Quota.reserve(reserveRequest("r1"), reservation: .none, chain: states)
        let grant = try #require(decision.state.grant)
        #expect(grant.model == "m0" && grant.requestedModel == "m1" && grant.maxCompletionTokens == 50)
        #expect(grant.amount == Amount(tokens: 150, nanoUSD: 50))
    }

    @Test func reserve_onARejectingBudget_doesNotDegrade() {
        #expect(throws: BudgetError.self) {
            try Quota.reserve(reserveRequest("r1"), reservation: .none, chain: chain(keyUsed: 850))
        }
    }

    @Test func settle_withUpstreamUsageBelowTheHold_chargesItAndRefundsTheRest() throws {
        let opened = try Quota.reserve(reserveRequest("r1"), reservation: .none, chain: chain())
        let after = apply(opened, to: chain())
        let decision = try Quota.settle(SettleRequest(outcome: .completed, upstreamUsage: TokenUsage(prompt: 100, completion: 20), now: noon),
                                        reservation: opened.state, chain: after)
        guard case .settled(let settlement) = decision.reservation.first else { Issue.record("not settled"); return }
        #expect(settlement.rule == .upstreamUsage)
        #expect(settlement.charged == Amount(tokens: 120, nanoUSD: 140))
        #expect(settlement.refunded == Amount(tokens: 80, nanoUSD: 160))
        #expect(settlement.uncovered == .zero)
        let settled = apply(decision, to: after)
        #expect(settled[0].current?.consumed == Amount(tokens: 120, nanoUSD: 140))
        #expect(settled[1].current?.reserved == .zero)
    }

    @Test func settle_aboveTheHold_chargesOnlyWhatTheTightestBudgetHasLeft() throws {
        let states = chain(keyUsed: 700)
        let opened = try Quota.reserve(reserveRequest("r1"), reservation: .none, chain: states)
        let after = apply(opened, to: states)
        let usage = TokenUsage(prompt: 100, completion: 400)
        let decision = try Quota.settle(SettleRequest(outcome: .completed, upstreamUsage: usage, now: noon),
                                        reservation: opened.state, chain: after)
        guard case .settled(let settlement) = decision.reservation.first else { Issue.record("not settled"); return }
        #expect(settlement.cost.tokens == 500)
        #expect(settlement.charged.tokens == 300)
        #expect(settlement.uncovered.tokens == 200)
        let settled = apply(decision, to: after)
        #expect(settled[0].current?.used == tokens(1_000) + Amount(tokens: 0, nanoUSD: settlement.charged.nanoUSD))
    }

    @Test(arguments: [
        (StreamOutcome.completed, TokenUsage?.some(TokenUsage(prompt: 1, completion: 2)), TokenUsage?.none, BillingRule.upstreamUsage),
        (.noUsage, nil, TokenUsage(prompt: 3, completion: 4), .localEstimate),
        (.noUsage, nil, nil, .reservedEstimate),
        (.clientAborted, nil, TokenUsage(prompt: 3, completion: 1), .localEstimate),
        (.upstreamError, nil, TokenUsage(prompt: 3, completion: 1), .noCharge),
        (.upstreamError, TokenUsage(prompt: 9, completion: 0), nil, .upstreamUsage),
    ])
    func billingRule_followsTheOutcomeAndTheReports(outcome: StreamOutcome, upstream: TokenUsage?, local: TokenUsage?, rule: BillingRule) {
        #expect(BillingRule.choose(outcome: outcome, upstream: upstream, local: local, reserved: TokenUsage(prompt: 5, completion: 5)).rule == rule)
    }

    @Test func settle_twiceWithTheSameReport_changesNothing_andWithAnotherIsRefused() throws {
        let opened = try Quota.reserve(reserveRequest("r1"), reservation: .none, chain: chain())
        let request = SettleRequest(outcome: .completed, upstreamUsage: TokenUsage(prompt: 1, completion: 1), now: noon)
        let settled = try Quota.settle(request, reservation: opened.state, chain: apply(opened, to: chain()))
        #expect(try Quota.settle(request, reservation: settled.state, chain: []).isEmpty)
        var other = request
        other.upstreamUsage = TokenUsage(prompt: 2, completion: 1)
        #expect(throws: ReservationError.closed(status: "settled")) {
            try Quota.settle(other, reservation: settled.state, chain: [])
        }
    }

    @Test func release_refundsEveryBudget_andReleasingAgainChangesNothing() throws {
        let opened = try Quota.reserve(reserveRequest("r1"), reservation: .none, chain: chain())
        let after = apply(opened, to: chain())
        let released = try Quota.release(now: noon, reservation: opened.state, chain: after)
        #expect(apply(released, to: after).allSatisfy { $0.current?.used == .zero })
        #expect(try Quota.release(now: noon, reservation: released.state, chain: after).isEmpty)
        #expect(throws: ReservationError.closed(status: "released")) {
            try Quota.settle(SettleRequest(outcome: .completed, now: noon), reservation: released.state, chain: after)
        }
    }

    @Test func expire_beforeTheTTL_changesNothing_andAfterItRefunds() throws {
        let opened = try Quota.reserve(reserveRequest("r1", ttl: .seconds(60)), reservation: .none, chain: chain())
        let after = apply(opened, to: chain())
        #expect(try Quota.expire(now: noon.addingTimeInterval(59), reservation: opened.state, chain: after).isEmpty)
        let expired = try Quota.expire(now: noon.addingTimeInterval(60), reservation: opened.state, chain: after)
        #expect(expired.reservation == [.expired(reservationID: "r1", refunded: Amount(tokens: 200, nanoUSD: 300), at: noon.addingTimeInterval(60))])
        #expect(apply(expired, to: after).allSatisfy { $0.current?.used == .zero })
    }

    // Not optimised: Swift 6.3.1's optimiser crashes on this function (CopyPropagation,
    // "Found outside of lifetime use") when the suite is built for release.
    @Test @_optimize(none) func settle_afterExpiry_isChargedLateInTheWindowItLandsIn_withNoRefund() throws {
        let opened = try Quota.reserve(reserveRequest("r1", ttl: .seconds(60)), reservation: .none, chain: chain())
        let expired = try Quota.expire(now: noon.addingTimeInterval(60), reservation: opened.state, chain: apply(opened, to: chain()))
        let budgets = apply(expired, to: apply(opened, to: chain()))
        let late = noon.addingTimeInterval(90)
        let decision = try Quota.settle(SettleRequest(outcome: .completed, upstreamUsage: TokenUsage(prompt: 100, completion: 20), now: late),
                                        reservation: expired.state, chain: budgets)
        let settlement = try #require(decision.state.settlement)
        #expect(settlement.late && settlement.rule == .upstreamUsage)
        #expect(settlement.charged == settlement.cost && settlement.uncovered == .zero && settlement.refunded == .zero)
        #expect(decision.budgets[0].events == [.tokensConsumed(budgetID: "key1", reservationID: "r1", windowStart: window(key, late).start,
                                                               held: .zero, charged: settlement.charged, at: late)])
        #expect(apply(decision, to: budgets).allSatisfy { $0.current?.consumed == settlement.charged && $0.current?.reserved == .zero })
        // The same report again changes nothing; another report is refused.
        let again = try Quota.settle(SettleRequest(outcome: .completed, upstreamUsage: TokenUsage(prompt: 100, completion: 20), now: late),
                                     reservation: decision.state, chain: apply(decision, to: budgets))
        #expect(again.isEmpty)
        #expect(throws: ReservationError.closed(status: "settled")) {
            try Quota.settle(SettleRequest(outcome: .completed, upstreamUsage: TokenUsage(prompt: 1, completion: 1), now: late),
                             reservation: decision.state, chain: apply(decision, to: budgets))
        }
    }

    @Test func settle_afterExpiry_inALaterWindow_opensItAndStaysWithinTheHardLimit() throws {
        let opened = try Quota.reserve(reserveRequest("r1", ttl: .seconds(60)), reservation: .none, chain: chain())
        let expired = try Quota.expire(now: noon.addingTimeInterval(60), reservation: opened.state, chain: apply(opened, to: chain()))
        let budgets = apply(expired, to: apply(opened, to: chain()))
        let nextDay = noon.addingTimeInterval(86_400)
        // 5,000 tokens cost more than the key budget's whole next window (1,000).
        let decision = try Quota.settle(SettleRequest(outcome: .completed, upstreamUsage: TokenUsage(prompt: 4_000, completion: 1_000),
                                                      now: nextDay), reservation: expired.state, chain: budgets)
        let settlement = try #require(decision.state.settlement)
        #expect(settlement.late && settlement.charged.tokens == 1_000)
        #expect(settlement.uncovered == settlement.cost - settlement.charged && settlement.uncovered.tokens == 4_000)
        let key = decision.budgets[0].events
        #expect(key.first == DomainTests.opened(self.key, nextDay))
        #expect(key.contains(.tokensConsumed(budgetID: "key1", reservationID: "r1", windowStart: window(self.key, nextDay).start,
                                             held: .zero, charged: settlement.charged, at: nextDay)))
        let after = apply(decision, to: budgets)
        #expect(after.allSatisfy { state in state.current.map { $0.limit.admits($0.used) } ?? false })
    }

    @Test func settle_afterRelease_isStillRefused() throws {
        let opened = try Quota.reserve(reserveRequest("r1"), reservation: .none, chain: chain())
        let released = try Quota.release(now: noon, reservation: opened.state, chain: apply(opened, to: chain()))
        #expect(throws: ReservationError.closed(status: "released")) {
            try Quota.settle(SettleRequest(outcome: .completed, now: noon), reservation: released.state, chain: chain())
        }
    }
}

/// `states` after the budget events of `decision`.
func apply(_ decision: QuotaDecision, to states: [BudgetState]) -> [BudgetState] {
    zip(states, decision.budgets).map { state, budget in budget.events.reduce(state, Budget.evolve) }
}

@Suite struct QuotaKeyTests {
    let budget = [Budget.fold([.defined(tokenBudget(), at: noon)])]
    let profile = KeyProfile(keyID: "k1", name: "n", roles: [.operator], secretSHA256: Array(repeating: 1, count: 32),
                             allowedModels: ["m1"], expiresAt: noon.addingTimeInterval(60))

    func request(key: KeyRecord?, model: String = "m1", now: Date = noon) -> ReserveRequest {
        var request = reserveRequest("r1", model: model, now: now)
        request.keyID = "k1"
        request.key = key
        return request
    }

    @Test func reserve_withAnActiveKeyAllowingTheModel_isGranted() throws {
        let key = KeyRecord(profile: profile, issuedAt: noon, changedAt: noon)
        #expect(try Quota.reserve(request(key: key), reservation: .none, chain: budget).state.grant?.keyID == "k1")
    }

    @Test func reserve_withAModelOutsideTheAllowList_isRefused() {
        #expect(throws: ReservationError.modelNotAllowed(model: "m0")) {
            try Quota.reserve(request(key: KeyRecord(profile: profile, issuedAt: noon, changedAt: noon), model: "m0"),
                              reservation: .none, chain: budget)
        }
    }

    @Test(arguments: [(KeyStatus.disabled, false, 0.0, "disabled"), (.active, true, 0, "deleted"), (.active, false, 60, "expired")])
    func reserve_withAnUnusableKey_isRefused(status: KeyStatus, deleted: Bool, later: Double, expected: String) {
        let key = KeyRecord(profile: profile, status: status, deleted: deleted, issuedAt: noon, changedAt: noon)
        #expect(throws: ReservationError.keyNotUsable(keyID: "k1", status: expected)) {
            try Quota.reserve(request(key: key, now: noon.addingTimeInterval(later)), reservation: .none, chain: budget)
        }
    }

    @Test func reserve_namingAKeyThatDoesNotExist_isRefused() {
        #expect(throws: ReservationError.invalidRequest(reason: "key k1 does not exist")) {
            try Quota.reserve(request(key: nil), reservation: .none, chain: budget)
        }
    }
}
