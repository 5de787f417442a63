import EventStore
import EventStoreTesting
import Foundation
import Logging
import PostgresNIO

import Testing

/// The horizon's rarer traps: savepoints and prepared transactions (docs/event-log.md,
/// "The horizon").
extension HorizonTests {
    /// Rolling back a savepoint that appended takes the declaration with it, while the
    /// transaction keeps the id it took for the append: appending again in it must be refused.
    @Test func appendAfterASavepointThatAppendedWasRolledBack_isRefused() async throws {
        try await TestDatabase.withStore { store in
            let code = await Self.failedAppend(store, stream: "horizon-sp") { connection in
                _ = try await connection.query("SAVEPOINT before_append", logger: Self.logger)
                _ = try await store.append(tenant: Self.tenant, [
                    StreamAppend(stream: "horizon-sp", expected: .any, events: [testEvent("rolled back")]),
                ], on: connection)
                _ = try await connection.query("ROLLBACK TO SAVEPOINT before_append", logger: Self.logger)
            }
            #expect(code == .appendNotFirstWrite)
            let stored = try await store.count(tenant: Self.tenant, stream: "horizon-sp")
            #expect(stored == 0)
        }
    }

    /// A prepared log writer holds readers back until it is committed; a prepared
    /// transaction of another database, which can never write this log, holds nothing.
    @Test func preparedWriter_holdsReaders_preparedForeignTransaction_doesNot() async throws {
        try await TestDatabase.withDatabase { store, url in
            try await Self.requirePreparedTransactions(store)
            let foreign = HeldTransaction.url(url, database: "postgres")
            try await Self.withPrepared(url: foreign, { connection in
                _ = try await connection.query("SELECT pg_current_xact_id()", logger: Self.logger)
            }) {
                let passed = try await store.append(tenant: Self.tenant, stream: "horizon-p1", expected: .any,
                                                    events: [testEvent("past the foreign one")])
                #expect(try await store.waitUntilReadable(passed.lastCursor, timeout: TestDatabase.horizonTimeout))
            }
            let prepared = Locked<AppendResult?>(nil)
            try await Self.withPrepared(url: url, { connection in
                let result = try await store.append(tenant: Self.tenant, [
                    StreamAppend(stream: "horizon-p2", expected: .any, events: [testEvent("prepared")]),
                ], on: connection)
                prepared.withLock { $0 = result }
            }) {
                let later = try await store.append(tenant: Self.tenant, stream: "horizon-p3", expected: .any,
                                                   events: [testEvent("after the prepared one")])
                #expect(try await store.waitUntilReadable(later.lastCursor, timeout: .milliseconds(500)) == false)
            }
            store.didCommit()
            let writer = try #require(prepared.withLock { $0 })
            #expect(try await store.waitUntilReadable(writer.lastCursor, timeout: TestDatabase.horizonTimeout))
            let streams = try await wholeLog(store, filter: LogFilter(tenant: Self.tenant)).map(\.stream)
            #expect(streams == ["horizon-p1", "horizon-p2", "horizon-p3"])
        }
    }

    /// A read raises the store's floor past what it returned: a later read of the same store
    /// (a new live client's catch-up, after the shared follower handed these events out)
    /// never comes out lower, whatever transactions end while it computes its horizon.
    @Test func readOfTheLog_raisesTheFloorPastWhatItReturned() async throws {
        try await TestDatabase.withStore { store in
            let appended = try await store.append(tenant: Self.tenant, stream: "horizon-floor", expected: .any,
                                                  events: [testEvent("a"), testEvent("b")])
            var read: [RecordedEvent] = []
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "the events read") {
                read = try await store.readLog(after: .start, filter: LogFilter(tenant: Self.tenant))
                return !read.isEmpty
            }
            let newest = try #require(read.last).cursor
            #expect(store.horizonFloorValue > newest.transaction, "floor \(store.horizonFloorValue), read up to \(newest)")
            #expect(newest <= appended.lastCursor)
        }
    }

    /// Runs `work` in a transaction of `url`, prepares it, runs `body` while it stays
    /// prepared, then commits it (or rolls it back when `body` throws: a prepared
    /// transaction outlives its connection).
    static func withPrepared(
        url: String, _ work: @escaping @Sendable (PostgresConnection) async throws -> Void,
        while body: @Sendable () async throws -> Void
    ) async throws {
        let gid = "eventloom-test-\(UUID().uuidString.lowercased())"
        try await HeldTransaction.with(url: url, statements: []) { connection in
            try await work(connection)
            _ = try await connection.query(PostgresQuery(unsafeSQL: "PREPARE TRANSACTION '\(gid)'"), logger: Self.logger)
            do {
                try await body()
            } catch {
                _ = try? await connection.query(PostgresQuery(unsafeSQL: "ROLLBACK PREPARED '\(gid)'"), logger: Self.logger)
                throw error
            }
            _ = try await connection.query(PostgresQuery(unsafeSQL: "COMMIT PREPARED '\(gid)'"), logger: Self.logger)
        }
    }

    static func requirePreparedTransactions(_ store: EventStore) async throws {
        let rows = try await store.client.query("SELECT current_setting('max_prepared_transactions')::int4")
        var allowed: Int32 = 0
        for try await value in rows.decode(Int32.self) { allowed = value }
        try #require(allowed > 0, "the cluster does not allow prepared transactions: start it with scripts/services")
    }
}
