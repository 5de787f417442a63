import EventStore
import EventStoreTesting
import Foundation
import Logging
import PostgresNIO

import Testing

/// Only transactions that can still append hold log readers back (docs/event-log.md,
/// "The horizon"), and the narrower horizon still never lets a reader skip an event.
@Suite struct HorizonTests {
    static let tenant = "horizon"
    static let logger = Logger(label: "horizon-test")

    @Test func readers_passTransactionsThatNeverAppend_inAnotherDatabaseOrOnAReadModelTable() async throws {
        try await TestDatabase.withDatabase { store, url in
            let foreign = HeldTransaction.url(url, database: "postgres")
            try await HeldTransaction.with(url: foreign, statements: ["SELECT pg_current_xact_id()"]) { _ in
                try await HeldTransaction.with(url: url, statements: [
                    "CREATE TABLE read_model_rows (id int)", "INSERT INTO read_model_rows VALUES (1)",
                ]) { _ in
                    let appended = try await store.append(tenant: Self.tenant, stream: "horizon-a", expected: .any,
                                                          events: [testEvent("a")])
                    let cursor = appended.events[0].cursor
                    #expect(try await store.waitUntilReadable(cursor, timeout: .seconds(5)))
                    let read = try await store.readLog(after: .start, filter: LogFilter(tenant: Self.tenant))
                    #expect(read.map(\.id) == [appended.events[0].eventID])
                    // Transactions of other tests that end while a read runs may hold one read back.
                    try await waitUntil(timeout: .seconds(5)) { try await store.readableHead() == cursor }
                    #expect(try await store.horizonHolder() == nil, "a transaction that never appends is named")
                }
            }
        }
    }

    @Test func slowLogWriter_holdsReadersBack_untilItCommits_thenBothEventsArriveInOrder() async throws {
        try await TestDatabase.withStore { store in
            let (release, releaser) = AsyncStream.makeStream(of: Void.self)
            let (appended, announce) = AsyncStream.makeStream(of: AppendResult.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await store.client.withTransaction(logger: Self.logger) { connection in
                        let slow = try await store.append(tenant: Self.tenant, [
                            StreamAppend(stream: "horizon-slow", expected: .any, events: [testEvent("slow")]),
                        ], on: connection)
                        // A log writer may write elsewhere after its append: it still holds readers.
                        _ = try await connection.query("CREATE TABLE after_append (id int)", logger: Self.logger)
                        announce.yield(slow)
                        for await _ in release { break }
                    }
                    store.didCommit()
                }
                var iterator = appended.makeAsyncIterator()
                let slow = try #require(await iterator.next())
                let fast = try await store.append(tenant: Self.tenant, stream: "horizon-fast", expected: .any,
                                                  events: [testEvent("fast")])
                #expect(slow.events[0].cursor < fast.events[0].cursor)
                #expect(try await store.waitUntilReadable(fast.events[0].cursor, timeout: .milliseconds(500)) == false)
                #expect(try await store.readLog(after: .start, filter: LogFilter(tenant: Self.tenant)).isEmpty)
                let holder = try #require(try await store.horizonHolder())
                #expect(holder.state == "idle in transaction")
                releaser.yield()
                try await group.waitForAll()
                #expect(try await store.waitUntilReadable(fast.events[0].cursor, timeout: .seconds(5)))
                let read = try await store.readLog(after: .start, filter: LogFilter(tenant: Self.tenant))
                #expect(read.map(\.id) == [slow.events[0].eventID, fast.events[0].eventID])
            }
        }
    }

    /// The trap of reading the snapshot and pg_locks at two instants: a writer that is
    /// running in the reader's snapshot but commits before pg_locks is read must still hold
    /// the horizon, since the reader's snapshot cannot see its rows.
    @Test func writerThatCommitsBetweenTheSnapshotAndTheLockRead_stillHoldsThatSnapshotsHorizon() async throws {
        try await TestDatabase.withDatabase { store, url in
            let (release, releaser) = AsyncStream.makeStream(of: Void.self)
            let (appended, announce) = AsyncStream.makeStream(of: AppendResult.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await store.client.withTransaction(logger: Self.logger) { connection in
                        announce.yield(try await store.append(tenant: Self.tenant, [
                            StreamAppend(stream: "horizon-w", expected: .any, events: [testEvent("w")]),
                        ], on: connection))
                        for await _ in release { break }
                    }
                }
                var iterator = appended.makeAsyncIterator()
                let writer = try #require(await iterator.next()).events[0].cursor
                let later = try await store.append(tenant: Self.tenant, stream: "horizon-x", expected: .any,
                                                   events: [testEvent("x")]).events[0].cursor
                let reader = try await PostgresConnection.connect(
                    configuration: try DatabaseURL.connectionConfiguration(url), id: 2, logger: Self.logger)
                _ = try await reader.query("BEGIN ISOLATION LEVEL REPEATABLE READ", logger: Self.logger)
                _ = try await reader.query("SELECT 1", logger: Self.logger).collect()   // the snapshot: w runs, x committed
                releaser.yield()
                try await group.waitForAll()   // w has committed: pg_locks no longer shows it
                let rows = try await reader.query(
                    "SELECT eventloom_log_horizon()::text, (SELECT count(*) FROM events WHERE tx_id < eventloom_log_horizon())",
                    logger: Self.logger).collect()
                let (horizon, readable) = try rows[0].decode((String, Int64).self)
                #expect(UInt64(horizon)! <= writer.transaction, "horizon \(horizon) passed the writer \(writer)")
                #expect(readable == 0, "the reader would have read \(later) and skipped \(writer)")
                _ = try await reader.query("COMMIT", logger: Self.logger)
                try await reader.close()
            }
        }
    }

    @Test func appendAfterOtherWritesOfItsTransaction_isRefused_andWritesNothing() async throws {
        try await TestDatabase.withDatabase { store, url in
            let code = await Self.failedAppend(store, stream: "horizon-late") { connection in
                _ = try await connection.query("CREATE TABLE written_first (id int)", logger: Self.logger)
            }
            #expect(code == .appendNotFirstWrite)
            // A raw INSERT is held to the same rule by the log's trigger.
            let refused = await #expect(throws: PSQLError.self) {
                try await HeldTransaction.with(url: url, statements: [
                    "SELECT pg_current_xact_id()",
                    """
                    INSERT INTO events (event_id, tenant_id, stream_id, category, stream_version, type, schema_version,
                                        data, metadata, recorded_at, hash)
                    VALUES (gen_random_uuid(), 'horizon', 'horizon-raw', 'horizon', 1, 'Raw', 1, '{}', '{}', now(), '\\x00')
                    """,
                ]) { _ in }
            }
            #expect(refused?.serverInfo?[.sqlState] == "EL003")
            // Appending first and writing elsewhere afterwards is the allowed order.
            let second = try await store.client.withTransaction(logger: Self.logger) { connection in
                _ = try await store.append(tenant: Self.tenant, [
                    StreamAppend(stream: "horizon-first", expected: .any, events: [testEvent("first")]),
                ], on: connection)
                _ = try await connection.query("CREATE TABLE written_after (id int)", logger: Self.logger)
                return try await store.append(tenant: Self.tenant, [
                    StreamAppend(stream: "horizon-first", expected: .any, events: [testEvent("second")]),
                ], on: connection)
            }
            // Another test's transaction that ends while the horizon is computed holds that
            // computation back (docs/event-log.md, "One read may come out lower"): wait for it.
            #expect(try await store.waitUntilReadable(second.lastCursor, timeout: TestDatabase.horizonTimeout))
            let streams = try await store.readLog(after: .start).map(\.stream)
            #expect(streams == ["horizon-first", "horizon-first"])
        }
    }

    /// The code of the store error an append to `stream` fails with, in a transaction that
    /// first runs `before` on its connection; the transaction must fail with it.
    static func failedAppend(
        _ store: EventStore, stream: String, after before: @escaping @Sendable (PostgresConnection) async throws -> Void
    ) async -> EventStoreError.Code? {
        let code = Locked<EventStoreError.Code?>(nil)
        await #expect(throws: (any Error).self) {
            try await store.client.withTransaction(logger: logger) { connection in
                try await before(connection)
                do {
                    _ = try await store.append(tenant: tenant, [
                        StreamAppend(stream: stream, expected: .any, events: [testEvent("refused")]),
                    ], on: connection)
                } catch let error as EventStoreError {
                    code.withLock { $0 = error.code }
                    throw error
                }
            }
        }
        return code.withLock { $0 }
    }
}
