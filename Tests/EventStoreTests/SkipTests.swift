import EventStore
import EventStoreTesting
import Foundation
import Logging
import PostgresNIO

import Testing

/// A reader must never skip an event that commits after one with a later position.
@Suite struct SkipTests {
    static let writers = 16
    static let fastEvents = 20_000
    /// The fast writers' events and the slow writer's one.
    static let totalEvents = fastEvents + 1
    static let tenant = "skip"

    /// What the writers committed: each transaction's id in commit order, and every event id.
    struct Commits: Sendable {
        var transactionsInCommitOrder: [UInt64] = []
        var eventIDs: [UUID] = []
    }

    @Test func subscriber_whileWritersCommitLate_receivesEveryEventOnceInCursorOrder() async throws {
        try await TestDatabase.withStore(maximumConnections: 24) { store in
            let received = Locked<[RecordedEvent]>([])
            let commits = Locked(Commits())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await Self.follow(store, into: received) }
                try await Self.runWriters(store, recordingInto: commits)
                try await waitUntil(deadline: .now + .seconds(60)) {
                    received.withLock { $0.count } >= Self.totalEvents
                }
                group.cancelAll()
            }

            let events = received.withLock { $0 }
            let committed = commits.withLock { $0 }
            // The scenario really had transactions commit out of transaction-id order.
            let lateCommits = zip(committed.transactionsInCommitOrder, committed.transactionsInCommitOrder.dropFirst())
                .filter { $0 > $1 }.count
            #expect(lateCommits > 0)
            #expect(committed.eventIDs.count == Self.totalEvents)
            // Every committed event, exactly once, in cursor order.
            #expect(events.count == Self.totalEvents)
            let receivedIDs = Set(events.map(\.id))
            #expect(receivedIDs.count == events.count, "duplicates: \(events.count - receivedIDs.count)")
            let skipped = Set(committed.eventIDs).subtracting(receivedIDs)
            #expect(skipped.count == 0, "committed events never received")
            let outOfOrder = zip(events, events.dropFirst()).filter { $0.cursor >= $1.cursor }.count
            #expect(outOfOrder == 0, "\(outOfOrder) events arrived out of cursor order")
            // The same order a reader starting afterwards sees.
            if let last = events.last { #expect(try await store.waitUntilReadable(last.cursor, timeout: TestDatabase.horizonTimeout)) }
            var log: [RecordedEvent] = []
            while log.count < Self.totalEvents {
                let page = try await store.readLog(after: log.last?.cursor ?? .start,
                                                   filter: LogFilter(tenant: Self.tenant), limit: 10_000)
                if page.isEmpty { break }
                log += page
            }
            #expect(log.count == events.count)
            let firstDifference = zip(log, events).enumerated().first { $0.element.0.id != $0.element.1.id }?.offset
            if let index = firstDifference {
                Issue.record("""
                    a reader starting afterwards sees another order from index \(index): \
                    log \(log[index].cursor) \(log[index].id), subscriber \(events[index].cursor) \(events[index].id); \
                    log is sorted: \(zip(log, log.dropFirst()).allSatisfy { $0.cursor < $1.cursor }), \
                    same ids: \(Set(log.map(\.id)) == Set(events.map(\.id)))
                    """)
            }
        }
    }

    private static func follow(_ store: EventStore, into received: Locked<[RecordedEvent]>) async throws {
        for try await event in store.subscribe(after: .start, filter: LogFilter(tenant: tenant)) {
            let count = received.withLock { $0.append(event); return $0.count }
            if count >= totalEvents { return }
        }
    }

    /// 16 writers, each writing its share in transactions of 1–5 events that sleep
    /// 0–50 ms between the insert and the commit; and one slow writer whose single event
    /// commits 3 s after its insert, while the fast ones go on.
    private static func runWriters(_ store: EventStore, recordingInto commits: Locked<Commits>) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await Task.sleep(for: .milliseconds(500))
                try await append([testEvent("slow")], to: "skip-slow", holdingFor: 3, store, recordingInto: commits)
            }
            for writer in 0..<writers {
                group.addTask {
                    var remaining = fastEvents / writers
                    while remaining > 0 {
                        let events = (0..<min(Int.random(in: 1...5), remaining)).map { _ in testEvent("w\(writer)") }
                        try await append(events, to: "skip-\(writer)", holdingFor: Double.random(in: 0...0.05), store,
                                         recordingInto: commits)
                        remaining -= events.count
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Appends `events` in a transaction that sleeps `seconds` between the insert and the
    /// commit, then records the commit.
    private static func append(_ events: [NewEvent], to stream: String, holdingFor seconds: Double, _ store: EventStore,
                               recordingInto commits: Locked<Commits>) async throws {
        let logger = Logger(label: "skip-test")
        let result = try await store.client.withTransaction(logger: logger) { connection in
            let result = try await store.append(tenant: tenant, [
                StreamAppend(stream: stream, expected: .any, events: events),
            ], on: connection)
            try await connection.query("SELECT pg_sleep(\(seconds))", logger: logger)
            return result
        }
        store.didCommit()
        commits.withLock {
            $0.transactionsInCommitOrder.append(result.events[0].cursor.transaction)
            $0.eventIDs += result.events.map(\.eventID)
        }
    }
}
