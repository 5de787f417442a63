import EventStore
import Foundation
import Hummingbird
import Projections

/// Read-your-writes: waits until a read model (or the log's readers) has got to a cursor.
struct Consistency: Sendable {
    let store: EventStore
    let catalog: ProjectionCatalog
    let timeout: Duration

    /// Returns once projection `name` has applied `cursor`.
    /// - Throws: ``APIError`` 504 with the current lag after the timeout.
    func wait(for name: String, toReach cursor: Cursor) async throws {
        let deadline = ContinuousClock.now + timeout
        var last: ProjectionStatus?
        while ContinuousClock.now < deadline {
            last = try await catalog.status(name)
            if let last, last.cursor >= cursor { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        let lag = try await store.backlog(after: last?.cursor ?? .start, cap: 1_000_000).count
        var problem = APIError(.gatewayTimeout, "not-consistent-yet", "Not consistent yet",
                               detail: "the \(name) read model has not reached \(cursor) within \(timeout); it is \(lag) events behind")
        problem.extra = ["lag_events": "\(lag)", "projection": name]
        throw problem
    }

    /// Waits for projection `name` to apply the cursor `request` asks for with
    /// `consistent_with` (or `Eventloom-Consistent-With`); returns at once without one.
    func wait(for name: String, askedBy request: Request) async throws {
        if let cursor = try QueryInput(request: request).consistentWith() { try await wait(for: name, toReach: cursor) }
    }

    /// Returns once log readers can see `cursor`.
    func waitForLog(toReach cursor: Cursor) async throws {
        guard try await store.waitUntilReadable(cursor, timeout: timeout) else {
            throw APIError(.gatewayTimeout, "not-consistent-yet", "Not consistent yet",
                           detail: "a transaction older than \(cursor) is still running")
        }
    }
}
