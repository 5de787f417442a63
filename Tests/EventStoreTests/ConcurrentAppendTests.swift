import EventStore
import EventStoreTesting
import Testing

@Suite struct ConcurrentAppendTests {
    @Test func concurrentAnyAppends_toOneStream_allLandWithGaplessVersions() async throws {
        try await TestDatabase.withStore(maximumConnections: 10) { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for n in 0..<10 {
                            try await store.append(tenant: "acme", stream: "budget-1", expected: .any,
                                                   events: [testEvent("w\(writer)-\(n)")])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let events = try await store.readStream(tenant: "acme", stream: "budget-1", limit: 1_000)
            #expect(events.map(\.streamVersion) == Array(1...80))
            #expect(try await store.verify().isIntact)
        }
    }

    @Test func concurrentCreators_withNoStream_exactlyOneWins() async throws {
        try await TestDatabase.withStore(maximumConnections: 10) { store in
            let outcomes = try await withThrowingTaskGroup(of: EventStoreError.Code?.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        do {
                            try await store.append(tenant: "acme", stream: "lock-new", expected: .noStream,
                                                   events: [testEvent("w\(writer)")])
                            return nil
                        } catch let error as EventStoreError {
                            return error.code
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 1)
            #expect(outcomes.compactMap { $0 }.allSatisfy { $0 == .wrongExpectedVersion })
            #expect(try await store.count(tenant: "acme", stream: "lock-new") == 1)
        }
    }

    @Test func concurrentMultiStreamAppends_onOverlappingStreams_allLandGapless() async throws {
        try await TestDatabase.withStore(maximumConnections: 20) { store in
            let streams = ["lock-a", "lock-b", "lock-c", "lock-d"]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<16 {
                    group.addTask {
                        for n in 0..<25 {
                            let touched = streams.shuffled().prefix(Int.random(in: 2...4))
                            try await store.append(tenant: "acme", touched.map {
                                StreamAppend(stream: $0, expected: .any, events: [testEvent("w\(writer)-\(n)"), testEvent()])
                            })
                        }
                    }
                }
                try await group.waitForAll()
            }
            var total = 0
            for stream in streams {
                let versions = try await store.readStream(tenant: "acme", stream: stream, limit: 1_000).map(\.streamVersion)
                #expect(versions == versions.indices.map { Int64($0 + 1) })
                total += versions.count
            }
            let logged = try await store.count(tenant: "acme")
            #expect(total == logged)
            #expect(logged > 0)
            #expect(try await store.verify().isIntact)
        }
    }

    /// An append that lost a race retries in its stream's turn: while another transaction
    /// holds that turn, the retry waits (writing nothing), and it lands once the turn is free.
    @Test func aRetryAfterALostRace_waitsForItsStreamsTurn() async throws {
        try await TestDatabase.withDatabase { store, url in
            let firstInserted = Locked(false)
            try await withThrowingTaskGroup(of: AppendResult.self) { group in
                group.addTask {
                    try await waitUntil(timeout: .seconds(60), "the first append") { firstInserted.withLock { $0 } }
                    return try await store.append(tenant: "acme", stream: "lock-t", expected: .any, events: [testEvent("racer")])
                }
                let turn = "SELECT pg_advisory_xact_lock(\(EventStore.streamLockClassID), hashtext('acme/lock-t'))"
                try await HeldTransaction.with(url: url, statements: [turn]) { _ in
                    try await store.withTransaction { connection in
                        _ = try await store.append(tenant: "acme", [
                            StreamAppend(stream: "lock-t", expected: .any, events: [testEvent("first")]),
                        ], on: connection)
                        firstInserted.withLock { $0 = true }
                        try await waitUntil(timeout: .seconds(60), "the racer waits for the first event's commit") {
                            try await Self.waiters(store, locktype: "transactionid") > 0
                        }
                    }
                    store.didCommit()
                    try await waitUntil(timeout: .seconds(60), "the racer's retry waits for the stream's turn") {
                        try await Self.waiters(store, locktype: "advisory") > 0
                    }
                    #expect(try await store.count(tenant: "acme", stream: "lock-t") == 1)
                }
                let racer = try #require(try await group.next())
                #expect(racer.events.map(\.streamVersion) == [2])
            }
            #expect(try await store.verify().isIntact)
        }
    }

    /// Sessions of this database waiting for a lock of `locktype` (a stream turn, for advisory).
    static func waiters(_ store: EventStore, locktype: String) async throws -> Int {
        let rows = try await store.client.query("""
            SELECT count(*)::int8 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE NOT l.granted AND l.locktype = \(locktype) AND a.datname = current_database()
               AND (l.locktype <> 'advisory' OR l.classid::int8 = \(Int64(EventStore.streamLockClassID)))
            """)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }
}
