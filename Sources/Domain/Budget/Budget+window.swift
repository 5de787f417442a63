import Foundation

extension Budget {
    /// The `windowOpened` event due at `now`, if `now` lies past the current window
    /// (or there is none yet); the new window's limit carries the capped rollover.
    static func windowOpening(_ definition: BudgetDefinition, _ state: BudgetState, now: Date) -> BudgetEvent? {
        if let current = state.current, now < current.window.end { return nil }
        let window = definition.window(containing: now)
        let rollover = rollover(definition, from: state.current, into: window)
        return .windowOpened(budgetID: definition.budgetID, window: window,
                             limit: definition.limit.raised(by: rollover), rollover: rollover, at: now)
    }

    /// Unused budget carried into `window`, capped; zero without rollover. A window with
    /// no activity before `window` left its whole base limit unused.
    static func rollover(_ definition: BudgetDefinition, from last: WindowLedger?, into window: BudgetWindow) -> Amount {
        guard let cap = definition.rolloverCap else { return .zero }
        let unused: Amount
        if let last, last.window.end == window.start {
            unused = last.remaining
        } else if last == nil {
            return .zero
        } else {
            unused = definition.limit.remaining(after: .zero)
        }
        let capped = Amount.minimum(unused, cap)
        return Amount(tokens: definition.limit.tokens == nil ? 0 : capped.tokens,
                      nanoUSD: definition.limit.nanoUSD == nil ? 0 : capped.nanoUSD)
    }

    /// The budget's account for the window holding `now`: the current one, or the one
    /// that would open at `now`. Nil before the budget is defined.
    public static func ledger(at now: Date, _ state: BudgetState) -> WindowLedger? {
        guard let definition = state.definition else { return nil }
        guard let opening = windowOpening(definition, state, now: now) else { return state.current }
        return evolve(state, opening).current
    }
}
