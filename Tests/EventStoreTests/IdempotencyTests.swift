import EventStore
import EventStoreTesting
import Foundation
import Testing

@Suite struct IdempotencyTests {
    @Test(arguments: [ExpectedVersion.noStream, .any])
    func retry_ofWrittenAppend_returnsFirstResultAndWritesNothing(expected: ExpectedVersion) async throws {
        try await TestDatabase.withStore { store in
            let events = [testEvent("a"), testEvent("b")]
            let first = try await store.append(tenant: "acme", stream: "lock-1", expected: expected, events: events)
            let retry = try await store.append(tenant: "acme", stream: "lock-1", expected: expected, events: events)
            #expect(retry.events == first.events)
            #expect(!first.wasReplayed)
            #expect(retry.wasReplayed)
            #expect(try await store.count(tenant: "acme") == 2)
        }
    }

    @Test func retry_ofMultiStreamAppend_returnsFirstResultInRequestOrder() async throws {
        try await TestDatabase.withStore { store in
            let appends = [
                StreamAppend(stream: "lock-z", expected: .noStream, events: [testEvent("z")]),
                StreamAppend(stream: "lock-a", expected: .noStream, events: [testEvent("a1"), testEvent("a2")]),
            ]
            let first = try await store.append(tenant: "acme", appends)
            let retry = try await store.append(tenant: "acme", appends)
            #expect(retry.events == first.events)
            #expect(first.events.map(\.stream) == ["lock-z", "lock-a", "lock-a"])
        }
    }

    @Test func reusingEventID_forOtherData_failsAndWritesNothing() async throws {
        try await TestDatabase.withStore { store in
            let id = UUID()
            try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [testEvent("a", id: id)])
            let error = try await #require(throws: EventStoreError.self) {
                try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [testEvent("b", id: id)])
            }
            #expect(error.code == .eventIDConflict)
            #expect(error.eventID == id)
            #expect(try await store.count(tenant: "acme") == 1)
        }
    }

    @Test func reusingEventID_inOtherStream_fails() async throws {
        try await TestDatabase.withStore { store in
            let event = testEvent("a")
            try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [event])
            let error = try await #require(throws: EventStoreError.self) {
                try await store.append(tenant: "acme", stream: "lock-2", expected: .any, events: [event])
            }
            #expect(error.code == .eventIDConflict)
            #expect(try await store.count(tenant: "acme", stream: "lock-2") == 0)
        }
    }

    @Test func append_partlyOverlappingAWrittenOne_failsAndWritesNothing() async throws {
        try await TestDatabase.withStore { store in
            let written = testEvent("a")
            try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [written])
            let error = try await #require(throws: EventStoreError.self) {
                try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [written, testEvent("new")])
            }
            #expect(error.code == .eventIDConflict)
            #expect(error.eventID == written.id)
            #expect(try await store.count(tenant: "acme") == 1)
        }
    }

    @Test func jsonWithOtherKeyOrderAndSpacing_isTheSameContent() async throws {
        try await TestDatabase.withStore { store in
            let id = UUID()
            let first = NewEvent(id: id, type: "LockAcquired", data: #"{"holder":"a","ttl":5}"#)
            let same = NewEvent(id: id, type: "LockAcquired", data: #"{ "ttl": 5, "holder": "a" }"#)
            let original = try await store.append(tenant: "acme", stream: "lock-1", expected: .noStream, events: [first])
            let retry = try await store.append(tenant: "acme", stream: "lock-1", expected: .noStream, events: [same])
            #expect(retry.events == original.events)
        }
    }
}
