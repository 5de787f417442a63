import EventStore
import EventStoreTesting
import Foundation
import Logging
import PostgresNIO

import Testing

/// Transactions that hold a transaction id but never append do not stall log readers:
/// one in another database of the cluster and one on a read-model table of this database,
/// each open for the whole minute, while events are appended at 200/s. The follower is an
/// `eventloom events tail` process of its own, so that what is measured is the log's
/// delivery, not this busy test process's scheduling.
@Suite struct NoStallTests {
    static let tenant = "nostall"
    static let rate = 200
    static let seconds = 60

    @Test func follower_whileTwoForeignTransactionsStayOpenAMinute_seesEachEventWithinP99Of250ms() async throws {
        try await TestDatabase.withDatabase(maximumConnections: 8) { store, url in
            let foreign = HeldTransaction.url(url, database: "postgres")
            let total = Self.rate * Self.seconds
            let follower = try EventloomProcess(name: "tail", arguments: [
                "events", "tail", "--database-url", url, "--tenant", Self.tenant, "--log-level", "warning"])
            try await HeldTransaction.with(url: foreign, statements: ["SELECT pg_current_xact_id()"]) { _ in
                try await HeldTransaction.with(url: url, statements: [
                    "CREATE TABLE projection_rows (id int)", "INSERT INTO projection_rows VALUES (1)",
                ]) { _ in
                    try await Self.appendOnSchedule(total, to: store)
                    try await waitUntil(timeout: .seconds(30), "every event tailed") { follower.timedLines.count >= total }
                    // Both transactions are still open here: nothing waited for them to end.
                    #expect(try await store.horizonHolder() == nil)
                }
            }
            _ = await follower.terminate()
            // Delivery latency: from the event's insert (its recorded_at, taken before its
            // commit) to the line reaching this process, both on the wall clock.
            let latencies = try follower.timedLines.map { line -> Double in
                let fields = try #require(try JSONSerialization.jsonObject(with: Data(line.text.utf8)) as? [String: Any])
                let recorded = try #require((fields["recorded_at"] as? String).flatMap(RFC3339.parseMicros))
                return max(0, line.arrived.timeIntervalSince1970 - Double(recorded) / 1_000_000)
            }.sorted()
            #expect(latencies.count == total)
            let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
            print(String(format: "no-stall: %d events, delivery p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                         latencies.count, latencies[latencies.count / 2] * 1000, p99 * 1000, latencies.last! * 1000))
            #expect(p99 < 0.25, "p99 delivery latency \(p99) s")
        }
    }

    /// Appends `total` events at ``rate`` per second, event `i` due at `i / rate` s, from
    /// one writer per stream: one sequential writer would fall behind the schedule (and
    /// stretch the minute) whenever a busy machine makes an append take over 5 ms.
    static func appendOnSchedule(_ total: Int, to store: EventStore) async throws {
        let streams = 8
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<streams {
                group.addTask {
                    for index in stride(from: lane, to: total, by: streams) {
                        try await Task.sleep(until: start + .seconds(1) * index / rate, clock: .continuous)
                        _ = try await store.append(tenant: tenant, stream: "nostall-\(lane)", expected: .any,
                                                   events: [testEvent("e\(index)")])
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
