import EventStore
import EventStoreTesting
import Testing

@Suite("Subject tokens at append time")
struct SubjectTokenTests {
    static let badTokens = ["a.b", "a*", "a>", "a b", ">", "*", "a\tb"]

    @Test(arguments: badTokens)
    func append_withTenantThatIsNotOneSubjectToken_isRefusedAndWritesNothing(_ tenant: String) async throws {
        try await TestDatabase.withStore { store in
            let error = await #expect(throws: EventStoreError.self) {
                try await store.append(tenant: tenant, [StreamAppend(stream: "lock-1", expected: .any, events: [testEvent()])])
            }
            #expect(error?.code == .invalidInput)
            let written = try await store.count(tenant: tenant)
            #expect(written == 0)
        }
    }

    @Test(arguments: badTokens)
    func append_withCategoryThatIsNotOneSubjectToken_isRefusedAndWritesNothing(_ category: String) async throws {
        try await TestDatabase.withStore { store in
            let stream = "\(category)-1"
            let error = await #expect(throws: EventStoreError.self) {
                try await store.append(tenant: "acme", [StreamAppend(stream: stream, expected: .any, events: [testEvent()])])
            }
            #expect(error?.code == .invalidInput)
            let written = try await store.count(tenant: "acme")
            #expect(written == 0)
        }
    }

    @Test(arguments: badTokens)
    func append_withTypeThatIsNotOneSubjectToken_isRefused(_ type: String) async throws {
        try await TestDatabase.withStore { store in
            let error = await #expect(throws: EventStoreError.self) {
                try await store.append(tenant: "acme", [StreamAppend(stream: "lock-1", expected: .any, events: [testEvent(type: type)])])
            }
            #expect(error?.code == .invalidInput)
            #expect(error?.description.contains("type") == true)
        }
    }
}
