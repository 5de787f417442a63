import EventStore
import EventStoreTesting
import Foundation
import Testing

@Suite struct ValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let tenant: String
        let append: StreamAppend
    }

    static let cases: [Case] = [
        .init(testDescription: "tenant with a dot", tenant: "ac.me", append: .init(stream: "lock-1", expected: .any, events: [testEvent()])),
        .init(testDescription: "empty tenant", tenant: "", append: .init(stream: "lock-1", expected: .any, events: [testEvent()])),
        .init(testDescription: "stream with a space", tenant: "acme", append: .init(stream: "lock 1", expected: .any, events: [testEvent()])),
        .init(testDescription: "stream starting with -", tenant: "acme", append: .init(stream: "-1", expected: .any, events: [testEvent()])),
        .init(testDescription: "category with a dot", tenant: "acme", append: .init(stream: "lo.ck-1", expected: .any, events: [testEvent()])),
        .init(testDescription: "no events", tenant: "acme", append: .init(stream: "lock-1", expected: .any, events: [])),
        .init(testDescription: "type with a dot", tenant: "acme", append: .init(stream: "lock-1", expected: .any, events: [testEvent(type: "Lock.Acquired")])),
        .init(testDescription: "data not an object", tenant: "acme", append: .init(stream: "lock-1", expected: .any, events: [NewEvent(type: "X", data: "[1]")])),
        .init(testDescription: "data not JSON", tenant: "acme", append: .init(stream: "lock-1", expected: .any, events: [NewEvent(type: "X", data: "{nope")])),
        .init(testDescription: "negative expected version", tenant: "acme", append: .init(stream: "lock-1", expected: .exact(-3), events: [testEvent()])),
        .init(testDescription: "data over 1 MiB", tenant: "acme", append: .init(stream: "lock-1", expected: .any, events: [NewEvent(type: "X", data: "{\"a\":\"" + String(repeating: "x", count: 1 << 20) + "\"}")])),
        .init(testDescription: "duplicate event id", tenant: "acme", append: { let e = testEvent(); return .init(stream: "lock-1", expected: .any, events: [e, e]) }()),
    ]

    @Test(arguments: cases)
    func append_withBadInput_failsWithInvalidInputAndWritesNothing(_ testCase: Case) async throws {
        try await TestDatabase.withStore { store in
            let error = try await #require(throws: EventStoreError.self) {
                try await store.append(tenant: testCase.tenant, [testCase.append])
            }
            #expect(error.code == .invalidInput, "\(error)")
            #expect(try await store.count(tenant: "acme") == 0)
            #expect(try await !store.streamExists(tenant: "acme", stream: "lock-1"))
        }
    }
}

@Suite struct CursorTests {
    @Test(arguments: [("0-0", Cursor.start), ("123-45", Cursor(transaction: 123, position: 45))])
    func parse_validCursor(text: String, cursor: Cursor) {
        #expect(Cursor(text) == cursor)
        #expect(cursor.description == text)
    }

    @Test(arguments: ["", "12", "12-", "-5", "1-2-3", "a-1", "+1-2", " 1-2", "1-99999999999999999999999"])
    func parse_invalidCursor_isNil(text: String) {
        #expect(Cursor(text) == nil)
    }

    @Test func cursors_orderByTransactionThenPosition() {
        #expect(Cursor(transaction: 5, position: 100) < Cursor(transaction: 6, position: 1))
        #expect(Cursor(transaction: 6, position: 1) < Cursor(transaction: 6, position: 2))
    }
}
