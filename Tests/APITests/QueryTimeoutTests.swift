@testable import API
import EventStore
import EventStoreTesting
import Logging
import PostgresNIO
import Projections
import Testing

@Suite("Query timeout") struct QueryTimeoutTests {
    @Test func aQueryPastTheLimit_isCancelled_andIsA503Problem() async throws {
        try await TestDatabase.withStore { store in
            let database = TenantDatabase(store: store, statementTimeout: .milliseconds(100), logger: Logger(label: "test"))
            let start = ContinuousClock.now
            let error = await #expect(throws: EventStoreError.self) {
                try await database.read(as: "acme") { connection in
                    try await connection.query("SELECT pg_sleep(5)", logger: Logger(label: "test")).collect().count
                }
            }
            #expect(error?.code == .timedOut)
            #expect(start.duration(to: .now) < .seconds(4), "cancelled by the server, not after the sleep")
            let problem = APIError(mapping: try #require(error), logger: Logger(label: "test"), now: .now)
            #expect(problem.status == .serviceUnavailable && problem.slug == "timeout")
            // Within the limit, the same transaction shape answers.
            let one = try await database.read(as: "acme") { connection in
                try await connection.query("SELECT 1", logger: Logger(label: "test")).collect().count
            }
            #expect(one == 1)
        }
    }
}
