/// The events one quota command appends, all in one multi-stream append: the
/// reservation's, and each budget's of its chain (leaf first).
public struct QuotaDecision: Sendable, Hashable {
    public var reservation: [ReservationEvent]
    public var budgets: [(budgetID: String, events: [BudgetEvent])]
    /// The reservation after the events.
    public var state: ReservationState

    public init(reservation: [ReservationEvent], budgets: [(budgetID: String, events: [BudgetEvent])], state: ReservationState) {
        self.reservation = reservation
        self.budgets = budgets
        self.state = state
    }

    /// True when the command changed nothing (a retry, or nothing due).
    public var isEmpty: Bool { reservation.isEmpty && budgets.allSatisfy(\.events.isEmpty) }

    public static func == (lhs: QuotaDecision, rhs: QuotaDecision) -> Bool {
        lhs.reservation == rhs.reservation && lhs.state == rhs.state
            && lhs.budgets.map(\.budgetID) == rhs.budgets.map(\.budgetID)
            && lhs.budgets.map(\.events) == rhs.budgets.map(\.events)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(reservation)
        hasher.combine(state)
        for budget in budgets {
            hasher.combine(budget.budgetID)
            hasher.combine(budget.events)
        }
    }
}
