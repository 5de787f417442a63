import Domain
import Foundation
import Testing

/// Random interleavings of reserve, settle, release, expire and late settlement on a two-budget chain,
/// with time moving across window boundaries: no window of a hard budget ever holds
/// more than its limit, and the budgets' ledgers equal what the reservations say.
@Suite struct QuotaPropertyTests {
    @Test(arguments: 0..<40)
    func randomInterleavings_neverOversell_andTheLedgerReconciles(seed: UInt64) throws {
        var world = QuotaWorld(seed: seed)
        for _ in 0..<400 { try world.step() }
        try world.checkInvariants()
        #expect(world.granted > 0, "seed \(seed): some reservations were granted")
        #expect(world.refused > 0, "seed \(seed): some reservations were refused")
    }

    @Test func theInterleavingsIncludeLateSettlements() throws {
        var late = 0
        for seed in UInt64(0)..<10 {
            var world = QuotaWorld(seed: seed)
            for _ in 0..<400 { try world.step() }
            late += world.reservationEvents.filter { if case .settled(let s) = $0 { s.late } else { false } }.count
        }
        #expect(late > 10)
    }
}

/// The chain key → tenant, the reservations made on it, and every event written.
struct QuotaWorld {
    var random: SplitMix64
    var now = instant("2026-03-28T18:00:00Z")
    let key = tokenBudget("key1", limit: 2_000, parent: "tenant", thresholds: [50, 90], zone: "Europe/Berlin")
    let tenant: BudgetDefinition = {
        var tenant = tokenBudget("tenant", limit: 5_000, rollover: Amount(tokens: 1_000, nanoUSD: 0), zone: "Europe/Berlin")
        tenant.limit = BudgetLimit(tokens: 5_000, nanoUSD: 6_000)
        return tenant
    }()
    var chain: [BudgetState]
    var budgetEvents: [[BudgetEvent]]
    var reservations: [String: ReservationState] = [:]
    var reservationEvents: [ReservationEvent] = []
    var granted = 0, refused = 0

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
        budgetEvents = [[.defined(key, at: now)], [.defined(tenant, at: now)]]
        chain = budgetEvents.map(Budget.fold)
    }

    mutating func step() throws {
        now = now.addingTimeInterval(Double(random.next(upTo: 1_200)))
        let open = reservations.filter { if case .open = $0.value { true } else { false } }.keys.sorted()
        let expired = reservations.filter { if case .expired = $0.value { true } else { false } }.keys.sorted()
        switch random.next(upTo: 11) {
        case 0..<5: try reserve()
        case 5..<8 where !open.isEmpty: try settle(open[Int(random.next(upTo: UInt64(open.count)))])
        case 10 where !expired.isEmpty: try settle(expired[Int(random.next(upTo: UInt64(expired.count)))])
        case 8 where !open.isEmpty: try record(Quota.release(now: now, reservation: reservations[open[0]]!, chain: chain), open[0])
        default:
            for id in open { try record(Quota.expire(now: now, reservation: reservations[id]!, chain: chain), id) }
        }
        try checkInvariants()
    }

    mutating func reserve() throws {
        let id = "r\(reservations.count)"
        let request = ReserveRequest(reservationID: id, requestID: id, model: "m1", promptTokens: Int64(random.next(upTo: 400)),
                                     maxCompletionTokens: Int64(random.next(upTo: 400)), prices: ["m1": unitPrice],
                                     ttl: .seconds(Int64(1 + random.next(upTo: 3_600))), now: now)
        do {
            try record(Quota.reserve(request, reservation: .none, chain: chain), id)
            granted += 1
        } catch is BudgetError {
            refused += 1
        }
    }

    mutating func settle(_ id: String) throws {
        let usage = TokenUsage(prompt: Int64(random.next(upTo: 500)), completion: Int64(random.next(upTo: 500)))
        let outcome = StreamOutcome.allCases[Int(random.next(upTo: 4))]
        let request = SettleRequest(outcome: outcome, upstreamUsage: random.next(upTo: 3) == 0 ? nil : usage,
                                    localEstimate: random.next(upTo: 2) == 0 ? nil : usage, now: now)
        try record(Quota.settle(request, reservation: reservations[id]!, chain: chain), id)
    }

    mutating func record(_ decision: QuotaDecision, _ id: String) {
        reservations[id] = decision.state
        reservationEvents += decision.reservation
        for index in decision.budgets.indices {
            budgetEvents[index] += decision.budgets[index].events
            chain[index] = decision.budgets[index].events.reduce(chain[index], Budget.evolve)
        }
    }

    /// Every window of every budget within its limit; per budget, consumed equals the sum
    /// of settlement charges and reserved the sum of open holds.
    func checkInvariants() throws {
        let charged = reservationEvents.reduce(Amount.zero) { sum, event in
            if case .settled(let settlement) = event { return sum + settlement.charged }
            return sum
        }
        let openHolds = reservations.values.reduce(Amount.zero) { sum, state in
            if case .open(let grant) = state { return sum + grant.amount }
            return sum
        }
        for (definition, events) in zip([key, tenant], budgetEvents) {
            let windows = WindowTotals.fold(events)
            for (start, totals) in windows {
                #expect(totals.limit.admits(totals.consumed + totals.reserved),
                        "\(definition.budgetID) window \(start): \(totals.consumed) + \(totals.reserved) over \(totals.limit)")
            }
            let consumed = windows.values.reduce(Amount.zero) { $0 + $1.consumed }
            let reserved = windows.values.reduce(Amount.zero) { $0 + $1.reserved }
            #expect(consumed == charged, "\(definition.budgetID): consumed \(consumed) ≠ charged \(charged)")
            #expect(reserved == openHolds, "\(definition.budgetID): reserved \(reserved) ≠ open holds \(openHolds)")
        }
        let refunds = reservationEvents.reduce(Amount.zero) { sum, event in
            switch event {
            // A late settlement charges without a hold (its hold was refunded at expiry).
            case .settled(let settlement) where settlement.late: sum - settlement.charged
            case .settled(let settlement): sum + settlement.refunded - (settlement.charged - Amount.minimum(settlement.charged, heldAmount(settlement.reservationID)))
            case .released(_, let refunded, _), .expired(_, let refunded, _): sum + refunded
            case .opened: sum
            }
        }
        let held = reservations.values.reduce(Amount.zero) { $0 + ($1.grant?.amount ?? .zero) }
        #expect(held == charged + refunds + openHolds, "holds \(held) ≠ charges \(charged) + refunds \(refunds) + open \(openHolds)")
    }

    func heldAmount(_ id: String) -> Amount { reservations[id]?.grant?.amount ?? .zero }
}

/// A budget's totals per window, folded from all its events (the state keeps only two windows).
struct WindowTotals {
    var limit = BudgetLimit()
    var consumed = Amount.zero
    var reserved = Amount.zero

    static func fold(_ events: [BudgetEvent]) -> [Date: WindowTotals] {
        var windows: [Date: WindowTotals] = [:]
        for event in events {
            switch event {
            case .windowOpened(_, let window, let limit, _, _): windows[window.start, default: .init()].limit = limit
            case .tokensReserved(_, _, let start, let amount, _): windows[start]!.reserved = windows[start]!.reserved + amount
            case .tokensConsumed(_, _, let start, let held, let charged, _):
                windows[start]!.reserved = windows[start]!.reserved - held
                windows[start]!.consumed = windows[start]!.consumed + charged
            case .tokensRefunded(_, _, let start, let amount, _, _): windows[start]!.reserved = windows[start]!.reserved - amount
            case .defined, .thresholdCrossed, .exhausted: break
            }
        }
        return windows
    }
}

/// A small seeded generator, so that a failing interleaving can be replayed from its seed.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next(upTo bound: UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (z ^ (z >> 31)) % bound
    }
}
