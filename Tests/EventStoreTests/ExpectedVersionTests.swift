import EventStore
import EventStoreTesting
import Testing

/// Every kind of expected version × stream absent / present (at version 2) × right / wrong.
@Suite struct ExpectedVersionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let expected: ExpectedVersion
        let streamPresent: Bool
        /// nil: the append succeeds; otherwise it fails with this actual version.
        let failsWithActual: Int64?
        var testDescription: String {
            "\(expected) on \(streamPresent ? "present" : "absent") stream → "
                + (failsWithActual.map { "conflict (actual \($0))" } ?? "written")
        }
    }

    static let cases: [Case] = [
        .init(expected: .any, streamPresent: false, failsWithActual: nil),
        .init(expected: .any, streamPresent: true, failsWithActual: nil),
        .init(expected: .noStream, streamPresent: false, failsWithActual: nil),
        .init(expected: .noStream, streamPresent: true, failsWithActual: 2),
        .init(expected: .streamExists, streamPresent: false, failsWithActual: 0),
        .init(expected: .streamExists, streamPresent: true, failsWithActual: nil),
        .init(expected: .exact(0), streamPresent: false, failsWithActual: nil),
        .init(expected: .exact(3), streamPresent: false, failsWithActual: 0),
        .init(expected: .exact(2), streamPresent: true, failsWithActual: nil),
        .init(expected: .exact(1), streamPresent: true, failsWithActual: 2),
        .init(expected: .exact(3), streamPresent: true, failsWithActual: 2),
    ]

    @Test(arguments: cases)
    func append_checksExpectedVersion(_ testCase: Case) async throws {
        try await TestDatabase.withStore { store in
            let stream = "lock-matrix"
            if testCase.streamPresent {
                try await store.append(tenant: "acme", stream: stream, expected: .noStream,
                                       events: [testEvent("1"), testEvent("2")])
            }
            let before = try await store.count(tenant: "acme")
            let attempt = { try await store.append(tenant: "acme", stream: stream, expected: testCase.expected,
                                                   events: [testEvent("new")]) }
            if let actual = testCase.failsWithActual {
                let error = try await #require(throws: EventStoreError.self) { try await attempt() }
                #expect(error.code == .wrongExpectedVersion)
                #expect(error.actualVersion == actual)
                #expect(error.stream == stream)
                #expect(try await store.count(tenant: "acme") == before)
                #expect(try await store.streamExists(tenant: "acme", stream: stream) == testCase.streamPresent)
            } else {
                let result = try await attempt()
                let newVersion: Int64 = testCase.streamPresent ? 3 : 1
                #expect(result.version(of: stream) == newVersion)
                #expect(try await store.count(tenant: "acme") == before + 1)
            }
        }
    }
}
