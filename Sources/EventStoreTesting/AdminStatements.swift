import EventStore
import Logging
import PostgresNIO

/// Runs the tests' CREATE DATABASE statements one at a time, retrying a few
/// times: dozens of tests creating databases at once on two cores slow every one of them
/// and hold the cluster-wide horizon (which log readers wait for) far longer.
enum AdminStatements {
    private static let lock = AsyncMutex()

    static func run(_ sql: String, on url: String) async throws {
        try await lock.withLock {
            var attempt = 1
            while true {
                do {
                    try await TestDatabase.withClient(try DatabaseURL.configuration(url)) { admin in
                        _ = try await admin.query(PostgresQuery(unsafeSQL: sql))
                    }
                    return
                } catch {
                    guard attempt < 5 else {
                        throw EventStoreError(.unavailable, "\(sql) failed: \(String(reflecting: error))")
                    }
                    attempt += 1
                    try await Task.sleep(for: .milliseconds(200 * attempt))
                }
            }
        }
    }
}
