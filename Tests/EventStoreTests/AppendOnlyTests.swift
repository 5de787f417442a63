import EventStore
import EventStoreTesting
import PostgresNIO
import Testing

@Suite struct AppendOnlyTests {
    @Test(arguments: [
        "UPDATE events SET type = 'Forged'",
        "DELETE FROM events",
        "TRUNCATE events",
    ])
    func changingTheLog_isRejectedByTheDatabase(sql: String) async throws {
        try await TestDatabase.withStore { store in
            try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [testEvent()])
            let error = try await #require(throws: PSQLError.self) {
                try await store.client.query(PostgresQuery(unsafeSQL: sql))
            }
            #expect(error.serverInfo?[.sqlState] == "EL002")
            #expect(try await store.count(tenant: "acme") == 1)
        }
    }

    @Test func verify_ofUntouchedLog_findsEveryChainIntact() async throws {
        try await TestDatabase.withStore { store in
            try await store.append(tenant: "acme", [
                StreamAppend(stream: "lock-1", expected: .any, events: [testEvent("a"), testEvent("b ☃ \"q\"")]),
                StreamAppend(stream: "lock-2", expected: .any, events: [testEvent("c")]),
            ])
            try await store.append(tenant: "beta", stream: "lock-1", expected: .any, events: [testEvent("d")])
            let report = try await store.verify()
            #expect(report.isIntact)
            #expect(report.events == 4)
            #expect(report.streams == 3)
        }
    }

    @Test func verify_afterTamperingBehindTheTrigger_namesTheTamperedEvent() async throws {
        try await TestDatabase.withStore { store in
            try await store.append(tenant: "acme", stream: "lock-1", expected: .any,
                                   events: [testEvent("a"), testEvent("b"), testEvent("c")])
            try await store.append(tenant: "acme", stream: "lock-2", expected: .any, events: [testEvent("x")])
            let tampered = try await store.readStream(tenant: "acme", stream: "lock-1", from: 2, limit: 1)[0]
            try await tamper("UPDATE events SET data = '{\"holder\": \"mallory\"}' WHERE stream_id = 'lock-1' AND stream_version = 2", store)

            let report = try await store.verify()
            #expect(report.breaks.count == 1)
            let broken = try #require(report.breaks.first)
            #expect(broken.tenant == "acme")
            #expect(broken.stream == "lock-1")
            #expect(broken.streamVersion == 2)
            #expect(broken.cursor == tampered.cursor)
        }
    }

    @Test func verify_afterDeletingAMiddleEvent_namesTheGap() async throws {
        try await TestDatabase.withStore { store in
            try await store.append(tenant: "acme", stream: "lock-1", expected: .any,
                                   events: [testEvent("a"), testEvent("b"), testEvent("c")])
            try await tamper("DELETE FROM events WHERE stream_id = 'lock-1' AND stream_version = 2", store)

            let report = try await store.verify()
            let broken = try #require(report.breaks.first)
            #expect(report.breaks.count == 1)
            #expect(broken.stream == "lock-1")
            #expect(broken.streamVersion == 3)
            #expect(broken.reason.contains("missing"))
        }
    }

    @Test func verify_afterDeletingAWholeStream_reportsTheRegisteredStreamWithoutEvents() async throws {
        try await TestDatabase.withStore { store in
            try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [testEvent("a")])
            try await store.append(tenant: "acme", stream: "lock-2", expected: .any, events: [testEvent("b")])
            try await tamper("DELETE FROM events WHERE stream_id = 'lock-1'", store)

            let report = try await store.verify()
            #expect(report.breaks.map(\.stream) == ["lock-1"])
        }
    }

    /// Runs `sql` with the append-only trigger disabled, as someone with the table's
    /// ownership could.
    private func tamper(_ sql: String, _ store: EventStore) async throws {
        try await store.client.withConnection { connection in
            try await connection.query("ALTER TABLE events DISABLE TRIGGER events_append_only", logger: .init(label: "t"))
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: .init(label: "t"))
            try await connection.query("ALTER TABLE events ENABLE TRIGGER events_append_only", logger: .init(label: "t"))
        }
    }
}
