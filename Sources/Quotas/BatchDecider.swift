import Domain
import EventStore
import Foundation

/// Decides a batch of operations in order against a working copy of the budgets and
/// reservations they touch, collecting every event into one multi-stream append. Pure:
/// no IO; the tree loads the states before and appends after.
struct BatchDecider {
    /// One operation's decision: the reservation after it and the version its events end at.
    struct Decided {
        let reservationID: String
        let reservation: ReservationState
        let version: Int64
        let wroteEvents: Bool
    }

    private(set) var budgets: [String: FoldedState<BudgetState>]
    private(set) var reservations: [String: FoldedState<ReservationState>] = [:]
    private var events: [String: [NewEvent]] = [:]
    private var expected: [String: Int64] = [:]
    private var order: [String] = []
    /// Key streams a granted reservation was decided on, each at the lowest version read.
    private var keyGuards: [String: Int64] = [:]
    /// Whether any event gave budget back (a settlement or a refund).
    private(set) var freesBudget = false

    init(budgets: [String: FoldedState<BudgetState>]) {
        self.budgets = budgets
    }

    /// The streams this batch writes, each with the version it must still be at, and the
    /// keys its grants were decided on as guards (no events: still at the version read).
    var appends: [StreamAppend] {
        let writes = order.map { stream in
            let start = expected[stream]!
            return StreamAppend(stream: stream, expected: start == 0 ? .noStream : .exact(start), events: events[stream]!)
        }
        guard !writes.isEmpty else { return [] }
        return writes + keyGuards.sorted { $0.key < $1.key }.map { StreamAppend(stream: $0.key, expected: .exact($0.value), events: []) }
    }

    /// The budget streams this batch writes.
    var writtenBudgets: Set<String> { Set(order.filter { $0.hasPrefix("\(Budget.category)-") }) }

    /// Decides `job` after everything decided before it in this batch.
    mutating func decide(_ job: LedgerJob) -> Result<Decided, any Error> {
        let operation = job.operation
        let reservationID = operation.reservationID
        let reservation = reservations[reservationID] ?? job.known ?? FoldedState(state: .none, version: 0)
        do {
            let chain = try operation.chain.map { id in
                guard let budget = budgets[id] else { throw BudgetError.notDefined }
                return budget.state
            }
            let decision = try operation.decide(reservation: reservation.state, chain: chain)
            let encoded = try encode(decision, metadata: job.metadata)
            for (budgetID, budgetEvents) in decision.budgets where !budgetEvents.isEmpty {
                let before = budgets[budgetID]!
                record(encoded.budgets[budgetID]!, to: Budget.stream(budgetID), startingAt: before.version)
                budgets[budgetID] = FoldedState(state: budgetEvents.reduce(before.state, Budget.evolve),
                                                version: before.version + Int64(budgetEvents.count))
                freesBudget = freesBudget || budgetEvents.contains(where: \.givesBudgetBack)
            }
            let version = reservation.version + Int64(decision.reservation.count)
            record(encoded.reservation, to: Reservation.stream(reservationID), startingAt: reservation.version)
            reservations[reservationID] = FoldedState(state: decision.state, version: version)
            if case .reserve(let request, _) = operation, !decision.isEmpty { guardKey(of: request) }
            return .success(Decided(reservationID: reservationID, reservation: decision.state, version: version,
                                    wroteEvents: !decision.isEmpty))
        } catch {
            return .failure(error)
        }
    }

    private func encode(_ decision: QuotaDecision, metadata: EventMetadata) throws -> (reservation: [NewEvent], budgets: [String: [NewEvent]]) {
        let reservation = try decision.reservation.map { try NewEvent($0, metadata: metadata) }
        var budgets: [String: [NewEvent]] = [:]
        for (budgetID, events) in decision.budgets {
            budgets[budgetID] = try events.map { try NewEvent($0, metadata: metadata) }
        }
        return (reservation, budgets)
    }

    /// A grant depends on its key's state: the append holds only while that key has not moved.
    private mutating func guardKey(of request: ReserveRequest) {
        guard let keyID = request.keyID, let version = request.keyVersion, version > 0 else { return }
        let stream = Key.stream(keyID)
        keyGuards[stream] = min(keyGuards[stream] ?? version, version)
    }

    private mutating func record(_ new: [NewEvent], to stream: String, startingAt version: Int64) {
        guard !new.isEmpty else { return }
        if expected[stream] == nil {
            expected[stream] = version
            order.append(stream)
        }
        events[stream, default: []].append(contentsOf: new)
    }
}

extension BudgetEvent {
    /// True for a settlement or a refund: budget may be free again.
    var givesBudgetBack: Bool {
        switch self {
        case .tokensConsumed, .tokensRefunded, .windowOpened: true
        default: false
        }
    }
}
