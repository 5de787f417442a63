/// A spending limit per window for a tenant, department, user or key.
/// Stream: `budget-<budget id>`, in the budget's tenant.
public enum Budget: Decider {
    public typealias Command = BudgetCommand
    public typealias Event = BudgetEvent
    public typealias State = BudgetState

    public static let category = "budget"
    public static let initialState = BudgetState()

    /// The stream of budget `budgetID`.
    public static func stream(_ budgetID: String) -> String { "\(category)-\(budgetID)" }
}
