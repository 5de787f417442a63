/// A budget's account for one window: its limit (rollover included) and what is used.
public struct WindowLedger: Sendable, Hashable, Codable {
    public var window: BudgetWindow
    public var limit: BudgetLimit
    public var consumed: Amount
    public var reserved: Amount
    /// Thresholds (percent) already announced in this window.
    public var crossed: [Int64]
    public var exhausted: Bool

    public init(window: BudgetWindow, limit: BudgetLimit, consumed: Amount = .zero, reserved: Amount = .zero,
                crossed: [Int64] = [], exhausted: Bool = false) {
        self.window = window
        self.limit = limit
        self.consumed = consumed
        self.reserved = reserved
        self.crossed = crossed
        self.exhausted = exhausted
    }

    /// Consumed and reserved together.
    public var used: Amount { consumed + reserved }

    /// What may still be reserved or charged in this window.
    public var remaining: Amount { limit.remaining(after: used) }
}
