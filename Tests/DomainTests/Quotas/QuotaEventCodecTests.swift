import Domain
import Foundation
import Testing

@Suite struct QuotaEventCodecTests {
    static let definition = BudgetDefinition(
        budgetID: "b1", name: "Research", scope: BudgetScope(kind: .department, id: "research"), parentID: "tenant",
        limit: BudgetLimit(tokens: 1_000_000, nanoUSD: 50_000_000_000), period: .fixed(seconds: 18_000),
        timeZone: "Europe/Berlin", anchor: noon, thresholds: [50, 80], hard: true,
        rolloverCap: Amount(tokens: 10, nanoUSD: 20),
        overflow: .degrade(models: ["gpt-4o": Degradation(model: "gpt-4o-mini", maxCompletionTokens: 256)]))
    static let grant = ReservationGrant(
        reservationID: "r1", requestID: "req-1", keyID: "k1",
        holds: [BudgetHold(budgetID: "b1", windowStart: noon), BudgetHold(budgetID: "tenant", windowStart: noon)],
        requestedModel: "gpt-4o", model: "gpt-4o-mini", promptTokens: 10, maxCompletionTokens: 256,
        amount: Amount(tokens: 266, nanoUSD: 1_234), price: unitPrice, expiresAt: noon + 600, openedAt: noon)
    static let settlement = Settlement(
        reservationID: "r1", outcome: .clientAborted, upstreamUsage: nil, localEstimate: TokenUsage(prompt: 10, completion: 3, cached: 2),
        rule: .localEstimate, billed: TokenUsage(prompt: 10, completion: 3, cached: 2), cost: Amount(tokens: 13, nanoUSD: 14),
        charged: Amount(tokens: 13, nanoUSD: 14), uncovered: .zero, refunded: Amount(tokens: 253, nanoUSD: 1_220), at: noon)

    @Test(arguments: [
        BudgetEvent.defined(definition, at: noon),
        .defined(tokenBudget(overflow: .queue(maxWaitMillis: 500)), at: noon),
        .windowOpened(budgetID: "b1", window: BudgetWindow(start: noon, end: noon + 60), limit: BudgetLimit(nanoUSD: 5),
                      rollover: Amount(tokens: 0, nanoUSD: 2), at: noon),
        .tokensReserved(budgetID: "b1", reservationID: "r1", windowStart: noon, amount: Amount(tokens: 1, nanoUSD: 2), at: noon),
        .tokensConsumed(budgetID: "b1", reservationID: "r1", windowStart: noon, held: tokens(5), charged: tokens(3), at: noon),
        .tokensRefunded(budgetID: "b1", reservationID: "r1", windowStart: noon, amount: tokens(5), reason: .expired, at: noon),
        .thresholdCrossed(budgetID: "b1", windowStart: noon, percent: 80, used: tokens(800), at: noon),
        .exhausted(budgetID: "b1", windowStart: noon, used: tokens(1_000), at: noon),
    ])
    func budgetEvent_roundTripsAndFitsItsSchema(event: BudgetEvent) throws {
        let json = try event.jsonData()
        #expect(try BudgetEvent(type: event.type, schemaVersion: 1, json: json) == event)
        #expect(try EventRegistry.binary(type: event.type, json: json) != nil)
    }

    @Test(arguments: [
        ReservationEvent.opened(grant), .settled(settlement),
        .released(reservationID: "r1", refunded: tokens(5), at: noon), .expired(reservationID: "r1", refunded: tokens(5), at: noon),
    ])
    func reservationEvent_roundTripsAndFitsItsSchema(event: ReservationEvent) throws {
        let json = try event.jsonData()
        #expect(try ReservationEvent(type: event.type, schemaVersion: 1, json: json) == event)
        #expect(try EventRegistry.binary(type: event.type, json: json) != nil)
    }

    @Test(arguments: [
        PriceListEvent.priceSet(model: "gpt-4o", price: ModelPrice(inputPer1K: 2_500, outputPer1K: 10_000, cachedPer1K: 1_250),
                                effectiveAt: noon, at: noon),
        .multiplierSet(group: "vip", multiplierPPM: 800_000, effectiveAt: noon, at: noon),
    ])
    func priceEvent_roundTripsAndFitsItsSchema(event: PriceListEvent) throws {
        let json = try event.jsonData()
        #expect(try PriceListEvent(type: event.type, schemaVersion: 1, json: json) == event)
        #expect(try EventRegistry.binary(type: event.type, json: json) != nil)
    }
}
