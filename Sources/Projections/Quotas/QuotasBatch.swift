import Domain
import EventStore
import Foundation

/// A batch of quota events folded in memory: rows to insert and per-window deltas.
struct QuotasBatch {
    struct WindowKey: Hashable {
        let tenant: String
        let budgetID: String
        let start: Date
    }

    struct WindowDelta {
        var consumed = Amount.zero
        var reserved = Amount.zero
        var crossed: [Int64] = []
        var exhausted = false
    }

    struct OpenedWindow {
        let key: WindowKey
        let end: Date
        let limit: BudgetLimit
        let rollover: Amount
    }

    struct Closing {
        let tenant: String
        let reservationID: String
        let status: String
        let charged: Amount
        let at: Date
    }

    var budgets: [(tenant: String, definition: BudgetDefinition, json: String, at: Date)] = []
    var windows: [OpenedWindow] = []
    var deltas: [WindowKey: WindowDelta] = [:]
    var deltaOrder: [WindowKey] = []
    var opened: [(tenant: String, grant: ReservationGrant)] = []
    var closings: [Closing] = []
    var settlements: [(tenant: String, settlement: Settlement)] = []

    mutating func add(_ event: RecordedEvent) throws {
        if event.category == Budget.category {
            try addBudget(event.decode(as: BudgetEvent.self), event)
        } else {
            try addReservation(event.decode(as: ReservationEvent.self), tenant: event.tenant)
        }
    }

    private mutating func addBudget(_ budgetEvent: BudgetEvent, _ event: RecordedEvent) {
        let tenant = event.tenant
        switch budgetEvent {
        case .defined(let definition, let at):
            budgets.append((tenant, definition, event.data, at))
        case .windowOpened(let budgetID, let window, let limit, let rollover, _):
            windows.append(OpenedWindow(key: WindowKey(tenant: tenant, budgetID: budgetID, start: window.start),
                                        end: window.end, limit: limit, rollover: rollover))
        case .tokensReserved(let budgetID, _, let start, let amount, _):
            change(tenant, budgetID, start) { $0.reserved = $0.reserved + amount }
        case .tokensConsumed(let budgetID, _, let start, let held, let charged, _):
            change(tenant, budgetID, start) {
                $0.reserved = $0.reserved - held
                $0.consumed = $0.consumed + charged
            }
        case .tokensRefunded(let budgetID, _, let start, let amount, _, _):
            change(tenant, budgetID, start) { $0.reserved = $0.reserved - amount }
        case .thresholdCrossed(let budgetID, let start, let percent, _, _):
            change(tenant, budgetID, start) { $0.crossed.append(percent) }
        case .exhausted(let budgetID, let start, _, _):
            change(tenant, budgetID, start) { $0.exhausted = true }
        }
    }

    private mutating func addReservation(_ event: ReservationEvent, tenant: String) {
        switch event {
        case .opened(let grant):
            opened.append((tenant, grant))
        case .settled(let settlement):
            closings.append(Closing(tenant: tenant, reservationID: settlement.reservationID, status: "settled",
                                    charged: settlement.charged, at: settlement.at))
            settlements.append((tenant, settlement))
        case .released(let reservationID, _, let at):
            closings.append(Closing(tenant: tenant, reservationID: reservationID, status: "released", charged: .zero, at: at))
        case .expired(let reservationID, _, let at):
            closings.append(Closing(tenant: tenant, reservationID: reservationID, status: "expired", charged: .zero, at: at))
        }
    }

    private mutating func change(_ tenant: String, _ budgetID: String, _ start: Date, _ update: (inout WindowDelta) -> Void) {
        let key = WindowKey(tenant: tenant, budgetID: budgetID, start: start)
        if deltas[key] == nil { deltaOrder.append(key) }
        update(&deltas[key, default: WindowDelta()])
    }
}
