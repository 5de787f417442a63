import Foundation

/// What happened to a budget. Amounts of a reservation land in the window it was made in.
public enum BudgetEvent: Sendable, Hashable {
    /// The budget was defined.
    case defined(BudgetDefinition, at: Date)
    /// A new window began, its limit raised by `rollover` carried from the one before.
    case windowOpened(budgetID: String, window: BudgetWindow, limit: BudgetLimit, rollover: Amount, at: Date)
    /// `amount` was set aside for a reservation.
    case tokensReserved(budgetID: String, reservationID: String, windowStart: Date, amount: Amount, at: Date)
    /// A reservation was settled: its hold `held` was released and `charged` consumed.
    case tokensConsumed(budgetID: String, reservationID: String, windowStart: Date, held: Amount, charged: Amount, at: Date)
    /// A reservation's hold was given back unused.
    case tokensRefunded(budgetID: String, reservationID: String, windowStart: Date, amount: Amount,
                        reason: RefundReason, at: Date)
    /// The window's use first reached `percent` of its limit (a soft alert).
    case thresholdCrossed(budgetID: String, windowStart: Date, percent: Int64, used: Amount, at: Date)
    /// The window's use reached its limit in at least one unit.
    case exhausted(budgetID: String, windowStart: Date, used: Amount, at: Date)
}

/// Why a hold was given back.
public enum RefundReason: String, Sendable, Hashable, Codable {
    /// The caller released the reservation (the upstream call failed or was not made).
    case released
    /// The reservation outlived its time to live.
    case expired
}
