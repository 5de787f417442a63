import Domain
import EventStore
import EventStoreTesting
import Foundation
import Logging
@testable import Quotas

let price = AppliedPrice(model: "m1", price: ModelPrice(inputPer1K: 1_000, outputPer1K: 2_000, cachedPer1K: 100))

/// A daily budget of `tokens` tokens, defined in the log.
@discardableResult
func define(
    _ store: EventStore, _ id: String, tokens: Int64, parent: String? = nil, overflow: OverflowStrategy = .reject,
    tenant: String = "acme"
) async throws -> BudgetDefinition {
    let definition = BudgetDefinition(budgetID: id, name: id, scope: BudgetScope(kind: .department, id: id), parentID: parent,
                                      limit: BudgetLimit(tokens: tokens), period: .day, overflow: overflow)
    _ = try await CommandHandler(store: store, decider: Budget.self)
        .handle(.define(definition, now: Date()), tenant: tenant, stream: Budget.stream(id))
    return definition
}

/// A reservation request of `prompt` + `completion` tokens.
func request(_ id: String, prompt: Int64 = 50, completion: Int64 = 50, now: Date = Date()) -> ReserveRequest {
    ReserveRequest(reservationID: id, requestID: "req-\(id)", model: "m1", promptTokens: prompt,
                   maxCompletionTokens: completion, prices: ["m1": price], ttl: .seconds(600), now: now)
}

func ledger(_ store: EventStore, snapshotEvery: Int64 = 1_000) -> QuotaLedger {
    QuotaLedger(store: store, logger: Logger(label: "test.quotas"), snapshotEvery: snapshotEvery)
}

/// The budget's state folded from every event of its stream, without snapshots.
func fold(_ store: EventStore, _ id: String, tenant: String = "acme") async throws -> FoldedState<BudgetState> {
    try await store.state(of: Budget.self, tenant: tenant, stream: Budget.stream(id))
}

/// `body` for each of `count` indexes, `width` at a time; the results in index order.
func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async -> T) async -> [T] {
    await withTaskGroup(of: (Int, T).self) { group in
        for index in 0..<count { group.addTask { (index, await body(index)) } }
        var results: [(Int, T)] = []
        for await result in group { results.append(result) }
        return results.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
