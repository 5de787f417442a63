/// Decides reservations across a budget chain: one reservation stream and every budget
/// from the leaf up to the root, so that a hold, a settlement or a refund lands on all
/// of them in one atomic multi-stream append. Pure: states in, events out.
public enum Quota {
    /// The longest chain of budgets (key → user → department → tenant, and some room).
    public static let maximumChainLength = 8

    /// - Throws: ``ReservationError/invalidRequest(reason:)`` unless `chain` runs from a
    ///   defined leaf up through each budget's parent, ending at a budget without one.
    static func validateChain(_ chain: [BudgetState]) throws {
        guard !chain.isEmpty, chain.count <= maximumChainLength else {
            throw ReservationError.invalidRequest(reason: "a budget chain has 1-\(maximumChainLength) budgets")
        }
        for (index, state) in chain.enumerated() {
            guard let definition = state.definition else { throw BudgetError.notDefined }
            let parent = index + 1 < chain.count ? chain[index + 1].definition?.budgetID : nil
            guard definition.parentID == parent else {
                throw ReservationError.invalidRequest(reason: "budget \(definition.budgetID) is not followed by its parent")
            }
        }
    }

    /// `chain` with `command` decided on each budget, in order.
    static func decideEach(
        _ chain: [BudgetState], _ command: (Int, BudgetState) -> BudgetCommand
    ) throws -> [(budgetID: String, events: [BudgetEvent])] {
        try chain.enumerated().map { index, state in
            (state.definition!.budgetID, try Budget.decide(command(index, state), state))
        }
    }
}
