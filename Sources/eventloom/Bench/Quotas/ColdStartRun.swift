import Domain
import EventStore
import Foundation
import Logging
import Quotas

/// The cold start of a budget with many events: a full fold against a load from its
/// latest snapshot and the events after it.
struct ColdStartRun {
    let store: EventStore
    let events: Int
    let logger: Logger
    static let tenant = "bench"
    static let budget = "cold"

    func run() async throws {
        let definition = BudgetDefinition(budgetID: Self.budget, name: "cold", scope: BudgetScope(kind: .tenant),
                                          limit: BudgetLimit(tokens: BudgetDefinition.maximumAmount), period: .month)
        let now = Date()
        _ = try await CommandHandler(store: store, decider: Budget.self)
            .handle(.define(definition, now: now), tenant: Self.tenant, stream: Budget.stream(Self.budget))
        let window = definition.window(containing: now)
        try await append([.windowOpened(budgetID: Self.budget, window: window, limit: definition.limit, rollover: .zero, at: now)], after: 1)
        let loadStart = ContinuousClock.now
        var version: Int64 = 2
        while version < Int64(events) {
            let count = min(10_000, events - Int(version))
            let batch = (0..<count).map { index in
                BudgetEvent.tokensReserved(budgetID: Self.budget, reservationID: "r\(Int(version) + index)",
                                           windowStart: window.start, amount: Amount(tokens: 1, nanoUSD: 1), at: now)
            }
            try await append(batch, after: version)
            version += Int64(count)
        }
        print(String(format: "cold:      loaded %d events into one budget stream in %.1f s", events,
                     (ContinuousClock.now - loadStart).seconds))
        let fullStart = ContinuousClock.now
        let full = try await store.state(of: Budget.self, tenant: Self.tenant, stream: Budget.stream(Self.budget))
        let fullFold = ContinuousClock.now - fullStart
        // A ledger writing to the budget snapshots it; then 999 more events arrive after the snapshot.
        let writer = QuotaLedger(store: store, logger: logger, snapshotEvery: 1_000)
        _ = try await writer.reserve(tenant: Self.tenant, budgetID: Self.budget, ReserveRequest(
            reservationID: UUID().uuidString.lowercased(), requestID: "snapshot", model: "m1", promptTokens: 1,
            maxCompletionTokens: 1, prices: ["m1": AppliedPrice(model: "m1", price: ModelPrice(inputPer1K: 1, outputPer1K: 1, cachedPer1K: 1))],
            now: Date()))
        let head = try await store.versions(tenant: Self.tenant, streams: [Budget.stream(Self.budget)])[Budget.stream(Self.budget)] ?? 0
        try await append((0..<999).map { index in
            BudgetEvent.tokensReserved(budgetID: Self.budget, reservationID: "t\(index)", windowStart: window.start,
                                       amount: Amount(tokens: 1, nanoUSD: 1), at: now)
        }, after: head)
        let coldStart = ContinuousClock.now
        let warmth = try await QuotaLedger(store: store, logger: logger).warm(tenant: Self.tenant, budgetID: Self.budget)
        let cold = ContinuousClock.now - coldStart
        print(String(format: "cold:      full fold of %lld events: %.0f ms", full.version, fullFold.seconds * 1_000))
        print(String(format: "cold:      load from the snapshot at version %lld plus %lld events after it: %.1f ms (goal < 1000 ms); %.0f× faster",
                     warmth.snapshotVersion, warmth.version - warmth.snapshotVersion, cold.seconds * 1_000, fullFold.seconds / cold.seconds))
    }

    private func append(_ events: [BudgetEvent], after version: Int64) async throws {
        let metadata = EventMetadata(actor: "bench")
        try await store.append(tenant: Self.tenant, stream: Budget.stream(Self.budget), expected: .exact(version),
                               events: try events.map { try NewEvent($0, metadata: metadata) })
    }
}
