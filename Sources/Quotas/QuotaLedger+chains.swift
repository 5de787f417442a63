import Domain
import EventStore
import Foundation

extension QuotaLedger {
    /// The definitions of `budgetID` and its ancestors, leaf first. A definition never
    /// changes once written, so each is read from the log once per process.
    /// - Throws: ``BudgetError/notDefined`` when a budget of the chain does not exist.
    public func chain(tenant: String, budgetID: String) async throws -> [BudgetDefinition] {
        var chain: [BudgetDefinition] = []
        var next: String? = budgetID
        while let id = next {
            guard chain.count < Quota.maximumChainLength else {
                throw ReservationError.invalidRequest(reason: "budget \(budgetID) is more than \(Quota.maximumChainLength) levels deep")
            }
            let definition = try await definition(tenant: tenant, budgetID: id)
            chain.append(definition)
            next = definition.parentID
        }
        return chain
    }

    /// The definition of budget `budgetID`.
    /// - Throws: ``BudgetError/notDefined``.
    public func definition(tenant: String, budgetID: String) async throws -> BudgetDefinition {
        let key = "\(tenant)/\(budgetID)"
        if let known = definitions.value(for: key) { return known }
        guard BudgetDefinition.isIdentifier(budgetID) else { throw BudgetError.notDefined }
        let first = try await store.readStream(tenant: tenant, stream: Budget.stream(budgetID), from: 1, limit: 1)
        guard let event = first.first, case .defined(let definition, _) = try event.decode(as: BudgetEvent.self) else {
            throw BudgetError.notDefined
        }
        definitions.set(definition, for: key)
        return definition
    }
}

extension QuotaLedger {
    /// Where a budget was loaded from: its version, and the version of the snapshot it
    /// started from (0: none, every event was folded).
    public struct Warmth: Sendable {
        public let version: Int64
        public let snapshotVersion: Int64
    }

    /// Loads budget `budgetID` and the budgets above it into memory, as the first
    /// reservation on it would (a process may warm its hot budgets before serving).
    /// - Throws: ``BudgetError/notDefined``, ``EventStoreError``.
    public func warm(tenant: String, budgetID: String) async throws -> Warmth {
        let chain = try await chain(tenant: tenant, budgetID: budgetID)
        return try await tree(tenant: tenant, root: chain.last!.budgetID).warm(chain.map(\.budgetID))
    }
}

extension BudgetTree {
    /// Loads `ids` not in memory yet; the first one's warmth.
    func warm(_ ids: [String]) async throws -> QuotaLedger.Warmth {
        for id in ids where budgets[id] == nil {
            let loaded = try await load(id)
            // A batch may have loaded and moved it meanwhile: keep the later state.
            if (budgets[id]?.folded.version ?? -1) < loaded.folded.version { budgets[id] = loaded }
        }
        let first = budgets[ids[0]]!
        return QuotaLedger.Warmth(version: first.folded.version, snapshotVersion: first.snapshotVersion)
    }
}
