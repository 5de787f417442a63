import EventStore
import EventStoreTesting
import Testing

@Suite struct MultiStreamAppendTests {
    @Test func conflictOnOneStream_writesNothingOnAny() async throws {
        try await TestDatabase.withStore { store in
            try await store.append(tenant: "acme", stream: "lock-b", expected: .noStream, events: [testEvent()])
            let error = try await #require(throws: EventStoreError.self) {
                try await store.append(tenant: "acme", [
                    StreamAppend(stream: "lock-a", expected: .noStream, events: [testEvent(), testEvent()]),
                    StreamAppend(stream: "lock-b", expected: .exact(7), events: [testEvent()]),
                    StreamAppend(stream: "lock-c", expected: .any, events: [testEvent()]),
                ])
            }
            #expect(error.code == .wrongExpectedVersion)
            #expect(error.stream == "lock-b")
            #expect(error.actualVersion == 1)
            #expect(try await store.count(tenant: "acme") == 1)
            #expect(try await !store.streamExists(tenant: "acme", stream: "lock-a"))
            #expect(try await !store.streamExists(tenant: "acme", stream: "lock-c"))
        }
    }

    @Test func success_writesEveryStreamInOneTransaction() async throws {
        try await TestDatabase.withStore { store in
            let result = try await store.append(tenant: "acme", [
                StreamAppend(stream: "lock-a", expected: .noStream, events: [testEvent(), testEvent()]),
                StreamAppend(stream: "budget-1", expected: .any, events: [testEvent()]),
            ])
            #expect(result.version(of: "lock-a") == 2)
            #expect(result.version(of: "budget-1") == 1)
            #expect(Set(result.events.map(\.cursor.transaction)).count == 1)
            #expect(try await store.count(tenant: "acme") == 3)
        }
    }

    @Test func sameStreamTwiceInOneAppend_isRejectedBeforeIO() async throws {
        try await TestDatabase.withStore { store in
            let error = try await #require(throws: EventStoreError.self) {
                try await store.append(tenant: "acme", [
                    StreamAppend(stream: "lock-a", expected: .any, events: [testEvent()]),
                    StreamAppend(stream: "lock-a", expected: .any, events: [testEvent()]),
                ])
            }
            #expect(error.code == .invalidInput)
            #expect(try await store.count(tenant: "acme") == 0)
        }
    }
}
