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
        if let known = definitions.withLock({ $0[key] }) { return known }
        guard BudgetDefinition.isIdentifier(budgetID) else { throw BudgetError.notDefined }
        let first = try await store.readStream(tenant: tenant, stream: Budget.stream(budgetID), from: 1, limit: 1)
        guard let event = first.first, case .defined(let definition, _) = try event.decode(as: BudgetEvent.self) else {
            throw BudgetError.notDefined
        }
        definitions.withLock { $0[key] = definition }
        return definition
    }
}
