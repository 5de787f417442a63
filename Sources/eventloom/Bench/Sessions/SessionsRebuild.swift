import EventStore
import Foundation
import Logging
import PostgresNIO
import Projections

/// Has a `project` child build the sessions read model from the loaded log as `eventloom
/// replay` does (a rebuild: rows first, indexes after) and waits until it holds the log.
enum SessionsRebuild {
    /// - Returns: how long the build took.
    /// - Throws: when the child exits, or after an hour.
    static func run(_ child: BenchChild, client: PostgresClient, logger: Logger) async throws -> Duration {
        let store = EventStore(client: client, logger: logger)
        let catalog = ProjectionCatalog(client: client, logger: logger)
        let head = try await store.readableHead()
        let start = ContinuousClock.now
        let deadline = start + .seconds(3_600)
        while try await catalog.status("sessions") == nil, ContinuousClock.now < deadline {
            try child.checkRunning()
            try await Task.sleep(for: .milliseconds(50))
        }
        _ = try await catalog.requestRebuild("sessions")
        while ContinuousClock.now < deadline {
            try child.checkRunning()
            if let status = try await catalog.status("sessions"), status.rebuild == nil, status.lastRebuiltAtMicros != nil,
               status.cursor >= head {
                return start.duration(to: .now)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CommandFailure("the sessions projection did not catch up with the loaded log in an hour")
    }
}
