import Foundation

/// The rules a budget command can break.
public enum BudgetError: Error, Equatable, Sendable {
    /// No budget with this id.
    case notDefined
    /// A budget with this id exists already, with another definition.
    case alreadyDefined(budgetID: String)
    /// The definition breaks a rule on names, limits, zones or strategies.
    case invalidDefinition(reason: String)
    /// The reservation does not fit: `remaining` is left in the window that ends at `retryAt`.
    case insufficient(budgetID: String, remaining: Amount, retryAt: Date)
}
