import Domain
import Foundation

/// An instant written in RFC 3339, e.g. "2026-03-29T01:30:00+01:00".
func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    guard let date = formatter.date(from: text) else { fatalError("not RFC 3339: \(text)") }
    return date
}

let noon = instant("2026-06-10T12:00:00Z")

func tokens(_ count: Int64) -> Amount { Amount(tokens: count, nanoUSD: 0) }

/// A daily budget of `limit` tokens in UTC, refusing what does not fit.
func tokenBudget(
    _ id: String = "team", limit: Int64 = 1_000, parent: String? = nil, thresholds: [Int64] = [],
    hard: Bool = true, rollover: Amount? = nil, overflow: OverflowStrategy = .reject,
    period: BudgetPeriod = .day, zone: String = "UTC"
) -> BudgetDefinition {
    BudgetDefinition(budgetID: id, name: "Budget \(id)", scope: BudgetScope(kind: .department, id: id), parentID: parent,
                     limit: BudgetLimit(tokens: limit), period: period, timeZone: zone, thresholds: thresholds,
                     hard: hard, rolloverCap: rollover, overflow: overflow)
}

/// The window of `definition` that holds `now`.
func window(_ definition: BudgetDefinition, _ now: Date) -> BudgetWindow { definition.window(containing: now) }

/// The opening of the first window of `definition` at `now`.
func opened(_ definition: BudgetDefinition, _ now: Date, rollover: Amount = .zero) -> BudgetEvent {
    .windowOpened(budgetID: definition.budgetID, window: window(definition, now),
                  limit: definition.limit.raised(by: rollover), rollover: rollover, at: now)
}

func reserved(_ definition: BudgetDefinition, _ reservation: String, _ amount: Amount, _ now: Date) -> BudgetEvent {
    .tokensReserved(budgetID: definition.budgetID, reservationID: reservation,
                    windowStart: window(definition, now).start, amount: amount, at: now)
}

/// A price of 1 micro-USD per 1K input tokens and 2 per 1K output (1 and 2 nano-USD a token).
let unitPrice = AppliedPrice(model: "m1", price: ModelPrice(inputPer1K: 1, outputPer1K: 2, cachedPer1K: 0))
let cheapPrice = AppliedPrice(model: "m0", price: ModelPrice(inputPer1K: 0, outputPer1K: 1, cachedPer1K: 0))

func reserveRequest(
    _ reservation: String, prompt: Int64 = 100, completion: Int64 = 100, model: String = "m1",
    ttl: Duration = .seconds(60), now: Date = noon
) -> ReserveRequest {
    ReserveRequest(reservationID: reservation, requestID: "req-\(reservation)", model: model, promptTokens: prompt,
                   maxCompletionTokens: completion, prices: ["m1": unitPrice, "m0": cheapPrice], ttl: ttl, now: now)
}
