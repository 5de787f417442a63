import Domain
import EventStore
import EventStoreTesting
import Foundation
import Testing
@testable import Quotas

@Suite struct QuotaLedgerTests {
    @Test func manyConcurrentReservations_onOneBudget_grantExactlyWhatFits() async throws {
        try await TestDatabase.withStore(maximumConnections: 10) { store in
            try await define(store, "hot", tokens: 10_000)
            let ledger = ledger(store)
            let outcomes = await concurrently(300) { index in
                (try? await ledger.reserve(tenant: "acme", budgetID: "hot", request("r\(index)"))) != nil
            }
            #expect(outcomes.filter { $0 }.count == 100)
            let folded = try await fold(store, "hot")
            #expect(folded.state.current?.reserved.tokens == 10_000)
            #expect(try await store.count(tenant: "acme", stream: Budget.stream("hot")) == 1 + 1 + 100 + 1)
        }
    }

    @Test func twoLedgers_writingOneBudget_neverOversell_andAgreeWithTheLog() async throws {
        try await TestDatabase.withStore(maximumConnections: 20) { store in
            try await define(store, "shared", tokens: 5_000)
            let first = ledger(store), second = ledger(store)
            let outcomes = await concurrently(200) { index in
                let ledger = index.isMultiple(of: 2) ? first : second
                return (try? await ledger.reserve(tenant: "acme", budgetID: "shared", request("r\(index)"))) != nil
            }
            #expect(outcomes.filter { $0 }.count == 50)
            let folded = try await fold(store, "shared")
            #expect(folded.state.current?.used.tokens == 5_000)
            let streams = (0..<200).map { Reservation.stream("r\($0)") }
            let versions = try await store.versions(tenant: "acme", streams: streams)
            #expect(streams.indices.allSatisfy { (versions[streams[$0]] == 1) == outcomes[$0] })
        }
    }

    @Test func aRetriedRequest_returnsTheSameReservation_andWritesNothing() async throws {
        try await TestDatabase.withStore { store in
            try await define(store, "b", tokens: 1_000)
            let first = try await ledger(store).reserve(tenant: "acme", budgetID: "b", request("r1"))
            let retry = try await ledger(store).reserve(tenant: "acme", budgetID: "b", request("r1"))
            #expect(first.position != nil && retry.position == nil)
            #expect(retry.reservation == first.reservation && retry.version == 1)
            #expect(try await fold(store, "b").state.current?.reserved.tokens == 100)
        }
    }

    @Test func aBurstOfRetries_throughAnotherLedger_isAnsweredFromTheLog_withoutErrors() async throws {
        try await TestDatabase.withStore(maximumConnections: 10) { store in
            try await define(store, "b", tokens: 1_000_000)
            let first = ledger(store)
            let granted = await concurrently(60) { index in try? await first.reserve(tenant: "acme", budgetID: "b", request("r\(index)")) }
            #expect(granted.allSatisfy { $0?.position != nil })
            let other = ledger(store)
            let retries = await concurrently(60) { index -> LedgerResult? in
                try? await other.reserve(tenant: "acme", budgetID: "b", request("r\(index)"))
            }
            #expect(retries.allSatisfy { $0 != nil && $0?.position == nil && $0?.version == 1 })
            #expect(try await fold(store, "b").state.current?.reserved.tokens == 6_000)
        }
    }

    @Test func aRetryOfTheReservationThatFilledTheBudget_getsItsGrant_notARefusal() async throws {
        try await TestDatabase.withStore { store in
            try await define(store, "full", tokens: 100)
            let first = try await ledger(store).reserve(tenant: "acme", budgetID: "full", request("r1"))
            let retry = try await ledger(store).reserve(tenant: "acme", budgetID: "full", request("r1"))
            #expect(retry.position == nil && retry.reservation == first.reservation)
        }
    }

    @Test func concurrentReservationsOnManyLeavesOfOneRoot_fitInAppendsWithinTheStreamLimit() async throws {
        try await TestDatabase.withStore(maximumConnections: 10) { store in
            try await define(store, "root", tokens: 1_000_000)
            for leaf in 0..<80 { try await define(store, "leaf\(leaf)", tokens: 1_000, parent: "root") }
            let ledger = ledger(store)
            let outcomes = await concurrently(160) { index in
                (try? await ledger.reserve(tenant: "acme", budgetID: "leaf\(index % 80)", request("r\(index)"))) != nil
            }
            #expect(outcomes.allSatisfy { $0 })
            #expect(try await fold(store, "root").state.current?.reserved.tokens == 16_000)
        }
    }

    @Test func settleAndRelease_giveTheUnusedHoldBack_onEveryBudgetOfTheChain() async throws {
        try await TestDatabase.withStore { store in
            try await define(store, "tenant", tokens: 10_000)
            try await define(store, "key1", tokens: 1_000, parent: "tenant")
            let ledger = ledger(store)
            _ = try await ledger.reserve(tenant: "acme", budgetID: "key1", request("r1"))
            _ = try await ledger.reserve(tenant: "acme", budgetID: "key1", request("r2"))
            let settled = try await ledger.settle(tenant: "acme", reservationID: "r1",
                                                  SettleRequest(outcome: .completed, upstreamUsage: TokenUsage(prompt: 50, completion: 10), now: Date()))
            guard case .settled(_, let settlement) = settled.reservation else { Issue.record("not settled"); return }
            #expect(settlement.charged.tokens == 60 && settlement.refunded.tokens == 40)
            _ = try await ledger.release(tenant: "acme", reservationID: "r2", now: Date())
            for id in ["key1", "tenant"] {
                let ledgerState = try await fold(store, id).state.current
                #expect(ledgerState?.consumed.tokens == 60 && ledgerState?.reserved == .zero)
            }
            await #expect(throws: ReservationError.closed(status: "released")) {
                try await ledger.settle(tenant: "acme", reservationID: "r2", SettleRequest(outcome: .completed, now: Date()))
            }
        }
    }

    @Test func aQueuedReservation_isGrantedWhenAnotherIsReleased() async throws {
        try await TestDatabase.withStore { store in
            try await define(store, "q", tokens: 100, overflow: .queue(maxWaitMillis: 5_000))
            let ledger = ledger(store)
            _ = try await ledger.reserve(tenant: "acme", budgetID: "q", request("r1"))
            async let waiting = ledger.reserve(tenant: "acme", budgetID: "q", request("r2"))
            try await Task.sleep(for: .milliseconds(200))
            _ = try await ledger.release(tenant: "acme", reservationID: "r1", now: Date())
            let granted = try await waiting
            #expect(granted.reservation.status == "open")
        }
    }

    @Test func aQueuedReservation_isRefusedWhenItsWaitRunsOut() async throws {
        try await TestDatabase.withStore { store in
            try await define(store, "q", tokens: 100, overflow: .queue(maxWaitMillis: 300))
            let ledger = ledger(store)
            _ = try await ledger.reserve(tenant: "acme", budgetID: "q", request("r1"))
            let started = ContinuousClock.now
            await #expect(throws: BudgetError.self) { try await ledger.reserve(tenant: "acme", budgetID: "q", request("r2")) }
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    @Test func aBudgetLoads_fromItsSnapshotAndTheEventsAfter_toTheSameStateAsAFullFold() async throws {
        try await TestDatabase.withStore(maximumConnections: 10) { store in
            try await define(store, "big", tokens: 1_000_000)
            let writer = ledger(store, snapshotEvery: 100)
            _ = await concurrently(250) { index in
                try? await writer.reserve(tenant: "acme", budgetID: "big", request("r\(index)", prompt: 1, completion: 1))
            }
            let snapshot = try #require(try await store.snapshot(tenant: "acme", stream: Budget.stream("big"), kind: BudgetSnapshot.kind))
            #expect(snapshot.version >= 100)
            let loaded = try await BudgetTree(tenant: "acme", store: store, logger: .init(label: "t"), snapshotEvery: 100).load("big")
            let full = try await fold(store, "big")
            #expect(loaded.snapshotVersion == snapshot.version)
            #expect(loaded.folded.version == full.version && loaded.folded.state == full.state)
        }
    }
}
