import Foundation

/// What a reservation holds: the model and completion tokens granted (a degraded grant
/// names another model than the one asked for), the amount held on each budget of its
/// chain, and until when.
public struct ReservationGrant: Sendable, Hashable, Codable {
    public var reservationID: String
    public var requestID: String
    /// The key the reservation was made with, if any.
    public var keyID: String?
    /// The budgets held, leaf first, each with the start of the window it was held in.
    public var holds: [BudgetHold]
    public var requestedModel: String
    public var model: String
    public var promptTokens: Int64
    public var maxCompletionTokens: Int64
    /// Held on every budget of the chain.
    public var amount: Amount
    public var price: AppliedPrice
    public var expiresAt: Date
    public var openedAt: Date

    public init(
        reservationID: String, requestID: String, keyID: String?, holds: [BudgetHold], requestedModel: String,
        model: String, promptTokens: Int64, maxCompletionTokens: Int64, amount: Amount, price: AppliedPrice,
        expiresAt: Date, openedAt: Date
    ) {
        self.reservationID = reservationID
        self.requestID = requestID
        self.keyID = keyID
        self.holds = holds
        self.requestedModel = requestedModel
        self.model = model
        self.promptTokens = promptTokens
        self.maxCompletionTokens = maxCompletionTokens
        self.amount = amount
        self.price = price
        self.expiresAt = expiresAt
        self.openedAt = openedAt
    }

    /// True when the grant is on another model than requested.
    public var isDegraded: Bool { model != requestedModel }
}

/// One budget a reservation holds, and the window the hold is in.
public struct BudgetHold: Sendable, Hashable, Codable {
    public var budgetID: String
    public var windowStart: Date

    public init(budgetID: String, windowStart: Date) {
        self.budgetID = budgetID
        self.windowStart = windowStart
    }
}
