import Domain
import EventStore
import EventStoreTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

@Suite struct CommandBatcherTests {
    /// 24 commands at once on one stream (half of them willing to wait): exactly one
    /// acquire wins, every other waiting one queues, every other plain one fails alone with
    /// the rule it broke; every outcome is its own (version,
    /// events, position) and the log holds exactly what the outcomes say.
    @Test func concurrentCommands_eachGetItsOwnOutcome_andABrokenRuleFailsAlone() async throws {
        try await TestDatabase.withStore(maximumConnections: 8) { store in
            let batcher = CommandBatcher<Lock>(store: store, cache: StateCache(capacity: 10))
            let results = try await withThrowingTaskGroup(of: (Int, Result<CommandBatcher<Lock>.Outcome, any Error>).self) { group in
                for index in 0..<24 {
                    group.addTask {
                        let claim = LockClaim(owner: "o\(index)", ownerTokenSHA256: ownerTokenHash("o\(index)"), ttl: 60)
                        let wait = index % 2 == 0 ? LockWait(waiterID: "w\(index)", until: t0 + 30) : nil
                        do {
                            return (index, .success(try await batcher.handle(.acquire(claim, now: t0, wait: wait), tenant: "acme",
                                                                             stream: "lock-hot")))
                        } catch {
                            return (index, .failure(error))
                        }
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let outcomes = results.values.compactMap { try? $0.get() }
            let granted = outcomes.filter { $0.events.contains { if case .acquired = $0 { true } else { false } } }
            let queued = outcomes.filter { $0.events.contains { if case .queued = $0 { true } else { false } } }
            let refused = results.values.filter { if case .failure(let error) = $0 { error is LockError } else { false } }
            #expect(granted.count == 1 && queued.count >= 11 && queued.count + refused.count == 23, "\(results.values)")
            #expect(Set(outcomes.map(\.version)) == Set(1...Int64(1 + queued.count)), "each outcome is at the version its own events end at")
            let stored = try await store.readStream(tenant: "acme", stream: "lock-hot")
            #expect(stored.count == 1 + queued.count)
            for outcome in outcomes {
                let position = try #require(outcome.append?.lastCursor)
                #expect(stored.first { $0.streamVersion == outcome.version }?.cursor == position)
            }
            let folded = try await store.state(of: Lock.self, tenant: "acme", stream: "lock-hot")
            #expect(folded.state.waiters.count == queued.count && folded.state.lastToken == 1)
        }
    }
}
