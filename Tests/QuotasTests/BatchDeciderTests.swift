import Domain
import EventStore
import Foundation
import Testing
@testable import Quotas

@Suite struct BatchDeciderTests {
    let definition = BudgetDefinition(budgetID: "b", name: "b", scope: BudgetScope(kind: .tenant),
                                      limit: BudgetLimit(tokens: 250), period: .day)

    func job(_ id: String) -> LedgerJob {
        LedgerJob(operation: .reserve(request(id), chain: ["b"]), metadata: EventMetadata(), known: nil)
    }

    @Test func aBatch_isDecidedInOrder_untilTheBudgetIsFull_andAppendsOnceAtTheStartVersion() throws {
        var decider = BatchDecider(budgets: ["b": FoldedState(state: Budget.fold([.defined(definition, at: Date())]), version: 1)])
        let decisions = ["r1", "r2", "r3"].map { decider.decide(job($0)) }
        #expect(decisions.map { (try? $0.get()) != nil } == [true, true, false])
        #expect(throws: BudgetError.self) { try decisions[2].get() }
        let appends = decider.appends
        let budget = try #require(appends.first { $0.stream == Budget.stream("b") })
        #expect(budget.expected == .exact(1))
        #expect(budget.events.map(\.type) == ["BudgetWindowOpened", "TokensReserved", "TokensReserved"])
        #expect(appends.filter { $0.stream.hasPrefix("reservation-") }.map(\.expected) == [.noStream, .noStream])
        #expect(decider.budgets["b"]?.version == 4)
        #expect(decider.writtenBudgets == [Budget.stream("b")])
    }

    @Test func theSameRequestTwiceInABatch_isGrantedOnce() throws {
        var decider = BatchDecider(budgets: ["b": FoldedState(state: Budget.fold([.defined(definition, at: Date())]), version: 1)])
        let first = try decider.decide(job("r1")).get()
        let second = try decider.decide(job("r1")).get()
        #expect(first.wroteEvents && !second.wroteEvents)
        #expect(second.reservation == first.reservation)
        #expect(decider.appends.filter { $0.stream.hasPrefix("reservation-") }.count == 1)
    }
}
