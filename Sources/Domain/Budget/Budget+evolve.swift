import Foundation

extension Budget {
    public static func evolve(_ state: BudgetState, _ event: BudgetEvent) -> BudgetState {
        var state = state
        switch event {
        case .defined(let definition, _):
            state.definition = definition
        case .windowOpened(_, let window, let limit, _, _):
            state.previous = state.current
            state.current = WindowLedger(window: window, limit: limit)
        case .tokensReserved(_, _, let start, let amount, _):
            state.update(windowStart: start) { $0.reserved = $0.reserved + amount }
        case .tokensConsumed(_, _, let start, let held, let charged, _):
            state.update(windowStart: start) {
                $0.reserved = $0.reserved - held
                $0.consumed = $0.consumed + charged
            }
        case .tokensRefunded(_, _, let start, let amount, _, _):
            state.update(windowStart: start) { $0.reserved = $0.reserved - amount }
        case .thresholdCrossed(_, let start, let percent, _, _):
            state.update(windowStart: start) { $0.crossed.append(percent) }
        case .exhausted(_, let start, _, _):
            state.update(windowStart: start) { $0.exhausted = true }
        }
        return state
    }
}

extension BudgetState {
    /// Applies `change` to the kept ledger of the window starting at `start`; older windows
    /// are no longer kept in the state (the read model has them).
    mutating func update(windowStart start: Date, _ change: (inout WindowLedger) -> Void) {
        if current?.window.start == start {
            change(&current!)
        } else if previous?.window.start == start {
            change(&previous!)
        }
    }
}
