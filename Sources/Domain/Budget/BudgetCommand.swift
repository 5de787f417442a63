import Foundation

/// What a budget is asked to do. Amounts are computed by the caller (``Quota``), with the
/// prices and the time it was given.
public enum BudgetCommand: Sendable, Hashable {
    /// Define the budget.
    case define(BudgetDefinition, now: Date)
    /// Hold `amount` for reservation `reservationID` in the window holding `now`.
    case reserve(reservationID: String, amount: Amount, now: Date)
    /// Settle a reservation made in the window starting at `windowStart`.
    case consume(reservationID: String, windowStart: Date, held: Amount, charged: Amount, now: Date)
    /// Charge a reservation settled after it expired (its hold already refunded) in the
    /// window holding `now`, with no hold.
    case chargeLate(reservationID: String, charged: Amount, now: Date)
    /// Give a reservation's hold back.
    case refund(reservationID: String, windowStart: Date, held: Amount, reason: RefundReason, now: Date)
}
