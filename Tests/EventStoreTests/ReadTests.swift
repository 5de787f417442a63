import EventStore
import EventStoreTesting
import Foundation
import Testing

@Suite struct ReadTests {
    @Test func readStream_forwardsAndBackwards_fromAVersion() async throws {
        try await TestDatabase.withStore { store in
            try await store.append(tenant: "acme", stream: "lock-1", expected: .any,
                                   events: (1...5).map { testEvent("e\($0)") })
            let forwards = try await store.readStream(tenant: "acme", stream: "lock-1", from: 2, limit: 3)
            #expect(forwards.map(\.streamVersion) == [2, 3, 4])
            let backwards = try await store.readStream(tenant: "acme", stream: "lock-1", direction: .backwards, from: 4, limit: 2)
            #expect(backwards.map(\.streamVersion) == [4, 3])
            let fromEnd = try await store.readStream(tenant: "acme", stream: "lock-1", direction: .backwards, limit: 1)
            #expect(fromEnd.map(\.streamVersion) == [5])
            #expect(forwards[0].data.contains("\"e2\""))
        }
    }

    @Test func readStream_ofOtherTenant_seesNothing() async throws {
        try await TestDatabase.withStore { store in
            try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [testEvent()])
            #expect(try await store.readStream(tenant: "beta", stream: "lock-1").isEmpty)
        }
    }

    @Test func readLog_filtersByTenantCategoryAndType_inCursorOrder() async throws {
        try await TestDatabase.withStore { store in
            try await store.append(tenant: "acme", stream: "lock-1", expected: .any,
                                   events: [testEvent(type: "LockAcquired"), testEvent(type: "LockReleased")])
            try await store.append(tenant: "acme", stream: "budget-1", expected: .any, events: [testEvent(type: "TokensReserved")])
            let last = try await store.append(tenant: "beta", stream: "lock-9", expected: .any, events: [testEvent(type: "LockAcquired")])
            #expect(try await store.waitUntilReadable(last.lastCursor, timeout: TestDatabase.horizonTimeout))

            let all = try await store.readLog(after: .start)
            try #require(all.count == 4)
            #expect(all.map(\.cursor) == all.map(\.cursor).sorted())
            let acmeLocks = try await store.readLog(after: .start, filter: LogFilter(tenant: "acme", category: "lock"))
            #expect(acmeLocks.map(\.type) == ["LockAcquired", "LockReleased"])
            let acquired = try await store.readLog(after: .start, filter: LogFilter(types: ["LockAcquired"]))
            #expect(acquired.map(\.tenant) == ["acme", "beta"])
            let afterFirst = try await store.readLog(after: all[0].cursor, limit: 2)
            #expect(afterFirst.map(\.id) == all[1...2].map(\.id))
        }
    }

    @Test(arguments: [0, -1, EventStore.maximumReadLimit + 1])
    func readLog_withLimitOutOfRange_isRejected(limit: Int) async throws {
        try await TestDatabase.withStore { store in
            let error = try await #require(throws: EventStoreError.self) {
                try await store.readLog(after: .start, limit: limit)
            }
            #expect(error.code == .invalidInput)
        }
    }

    @Test func recordedEvent_jsonLine_isOneJSONObjectWithCursorAndPayload() async throws {
        try await TestDatabase.withStore { store in
            let written = try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [testEvent("q\"uote")])
            #expect(try await store.waitUntilReadable(written.lastCursor, timeout: TestDatabase.horizonTimeout))
            let event = try #require(try await store.readLog(after: .start).first)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(event.jsonLine.utf8)) as? [String: Any])
            #expect(object["cursor"] as? String == event.cursor.description)
            #expect((object["data"] as? [String: Any])?["holder"] as? String == "q\"uote")
            #expect(object["stream_version"] as? Int == 1)
            #expect((object["hash"] as? String)?.count == 64)
            #expect(!event.jsonLine.contains("\n"))
        }
    }
}

@Suite struct CursorOrderTests {
    /// Transaction ids 9 and 10 sort the other way round as text: the log must order them
    /// as numbers, whatever the cluster's age.
    @Test func readLogAndSubscribe_orderTransactionIDsAsNumbers() async throws {
        try await TestDatabase.withStore { store in
            try await store.client.query("""
                INSERT INTO events (event_id, tx_id, tenant_id, stream_id, category, stream_version, type,
                                    schema_version, data, metadata, recorded_at, hash)
                VALUES (gen_random_uuid(), '10', 'acme', 'lock-b', 'lock', 1, 'T', 1, '{}', '{}', now(), '\\x00'),
                       (gen_random_uuid(), '9',  'acme', 'lock-a', 'lock', 1, 'T', 1, '{}', '{}', now(), '\\x00')
                """)
            let read = try await store.readLog(after: .start, filter: LogFilter(tenant: "acme"))
            #expect(read.map(\.cursor.transaction) == [9, 10])
            let afterNine = try await store.readLog(after: read[0].cursor, filter: LogFilter(tenant: "acme"))
            #expect(afterNine.map(\.cursor.transaction) == [10])
            var subscription = store.subscribe(after: .start, filter: LogFilter(tenant: "acme")).makeAsyncIterator()
            let first = try await subscription.next(), second = try await subscription.next()
            #expect([first, second].map { $0?.cursor.transaction } == [9, 10])
            // The tests' own helper waits on the head: it must be transaction 10, not 9.
            #expect(try await store.head()?.transaction == 10)
        }
    }
}
