import Foundation

extension Budget {
    public static func decide(_ command: BudgetCommand, _ state: BudgetState) throws -> [BudgetEvent] {
        switch command {
        case .define(let definition, let now):
            try define(definition, now: now, state)
        case .reserve(let reservationID, let amount, let now):
            try reserve(reservationID, amount, now: now, state)
        case .consume(let reservationID, let start, let held, let charged, let now):
            try account(now: now, state) { budgetID, _ in
                .tokensConsumed(budgetID: budgetID, reservationID: reservationID, windowStart: start,
                                held: held, charged: charged, at: now)
            }
        case .chargeLate(let reservationID, let charged, let now):
            try account(now: now, state) { budgetID, current in
                .tokensConsumed(budgetID: budgetID, reservationID: reservationID, windowStart: current.start,
                                held: .zero, charged: charged, at: now)
            }
        case .refund(let reservationID, let start, let held, let reason, let now):
            try account(now: now, state) { budgetID, _ in
                .tokensRefunded(budgetID: budgetID, reservationID: reservationID, windowStart: start,
                                amount: held, reason: reason, at: now)
            }
        }
    }

    private static func define(_ definition: BudgetDefinition, now: Date, _ state: BudgetState) throws -> [BudgetEvent] {
        try definition.validate()
        if let existing = state.definition {
            guard existing == definition else { throw BudgetError.alreadyDefined(budgetID: definition.budgetID) }
            return []
        }
        return [.defined(definition, at: now)]
    }

    private static func reserve(_ reservationID: String, _ amount: Amount, now: Date, _ state: BudgetState) throws -> [BudgetEvent] {
        guard let definition = state.definition else { throw BudgetError.notDefined }
        let opening = windowOpening(definition, state, now: now)
        let opened = opening.map { evolve(state, $0) } ?? state
        let ledger = opened.current!
        if definition.hard, !ledger.limit.admits(ledger.used + amount) {
            throw BudgetError.insufficient(budgetID: definition.budgetID, remaining: ledger.remaining, retryAt: ledger.window.end)
        }
        let reserved = BudgetEvent.tokensReserved(budgetID: definition.budgetID, reservationID: reservationID,
                                                  windowStart: ledger.window.start, amount: amount, at: now)
        return [opening].compactMap { $0 } + [reserved] + alerts(after: evolve(opened, reserved), now: now)
    }

    /// Opens the window due at `now` if any, records `event` (given the budget and the
    /// window holding `now`), and raises the alerts it causes.
    private static func account(now: Date, _ state: BudgetState, _ event: (String, BudgetWindow) -> BudgetEvent) throws -> [BudgetEvent] {
        guard let definition = state.definition else { throw BudgetError.notDefined }
        let opening = windowOpening(definition, state, now: now)
        let opened = opening.map { evolve(state, $0) } ?? state
        let recorded = event(definition.budgetID, opened.current!.window)
        return [opening].compactMap { $0 } + [recorded] + alerts(after: evolve(opened, recorded), now: now)
    }

    /// The thresholds first reached, and exhaustion first reached, in the current window.
    static func alerts(after state: BudgetState, now: Date) -> [BudgetEvent] {
        guard let definition = state.definition, let ledger = state.current else { return [] }
        let percent = ledger.limit.percentUsed(by: ledger.used)
        var events = definition.thresholds.sorted()
            .filter { $0 <= percent && !ledger.crossed.contains($0) }
            .map { BudgetEvent.thresholdCrossed(budgetID: definition.budgetID, windowStart: ledger.window.start,
                                                percent: $0, used: ledger.used, at: now) }
        if !ledger.exhausted, percent >= 100 {
            events.append(.exhausted(budgetID: definition.budgetID, windowStart: ledger.window.start, used: ledger.used, at: now))
        }
        return events
    }
}
