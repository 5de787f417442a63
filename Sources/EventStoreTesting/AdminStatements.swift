import EventStore
import Logging
import PostgresNIO

/// Runs the tests' CREATE DATABASE statements one at a time, retrying a few
/// times: dozens of tests creating databases at once on two cores slow every one of them
/// and hold the cluster-wide horizon (which log readers wait for) far longer.
actor AdminStatements {
    static let shared = AdminStatements()

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run(_ sql: String, on url: String) async throws {
        await acquire()
        defer { release() }
        var attempt = 1
        while true {
            do {
                return try await TestDatabase.withClient(try DatabaseURL.configuration(url)) { admin in
                    try await admin.query(PostgresQuery(unsafeSQL: sql))
                }
            } catch {
                guard attempt < 5 else {
                    throw EventStoreError(.unavailable, "\(sql) failed: \(String(reflecting: error))")
                }
                attempt += 1
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
