import EventStore
import EventStoreTesting
import Foundation
import Logging
import PostgresNIO

import Testing

/// Transactions that hold a transaction id but never append do not stall log readers:
/// one in another database of the cluster and one on a read-model table of this database,
/// each open for the whole minute, while events are appended at 200/s.
@Suite struct NoStallTests {
    static let tenant = "nostall"
    static let rate = 200
    static let seconds = 60

    @Test func follower_whileTwoForeignTransactionsStayOpenAMinute_seesEachEventWithinP99Of250ms() async throws {
        try await TestDatabase.withDatabase(maximumConnections: 8) { store, url in
            let foreign = HeldTransaction.url(url, database: "postgres")
            let sent = Locked<[UUID: ContinuousClock.Instant]>([:])
            let latencies = Locked<[Duration]>([])
            let total = Self.rate * Self.seconds
            try await HeldTransaction.with(url: foreign, statements: ["SELECT pg_current_xact_id()"]) { _ in
                try await HeldTransaction.with(url: url, statements: [
                    "CREATE TABLE projection_rows (id int)", "INSERT INTO projection_rows VALUES (1)",
                ]) { _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for try await event in store.subscribe(after: .start, filter: LogFilter(tenant: Self.tenant)) {
                                let arrived = ContinuousClock.now
                                let count = latencies.withLock { latencies in
                                    if let at = sent.withLock({ $0[event.id] }) { latencies.append(arrived - at) }
                                    return latencies.count
                                }
                                if count >= total { return }
                            }
                        }
                        let start = ContinuousClock.now
                        for index in 0..<total {
                            try await Task.sleep(until: start + .seconds(1) * index / Self.rate, clock: .continuous)
                            // From the start of the append: its own round trip counts too.
                            let event = testEvent("e\(index)")
                            sent.withLock { $0[event.id] = ContinuousClock.now }
                            _ = try await store.append(tenant: Self.tenant, stream: "nostall-\(index % 8)",
                                                       expected: .any, events: [event])
                        }
                        try await waitUntil(timeout: .seconds(30)) { latencies.withLock { $0.count } >= total }
                        group.cancelAll()
                    }
                    // Both transactions are still open here: nothing waited for them to end.
                    #expect(try await store.horizonHolder() == nil)
                }
            }
            let sorted = latencies.withLock { $0 }.sorted()
            #expect(sorted.count == total)
            let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
            let p50 = sorted[sorted.count / 2]
            print("no-stall: \(sorted.count) events, delivery p50 \(p50), p99 \(p99), max \(sorted.last!)")
            #expect(p99 < .milliseconds(250), "p99 delivery latency \(p99)")
        }
    }
}
