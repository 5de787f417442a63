import EventStore
import EventStoreTesting
import Logging
import Projections

/// Runs a projection runner for `projection` around `body`.
public func withRunner<T: Sendable>(
    _ projection: any Projection, _ store: EventStore, databaseURL: String,
    configure: (inout ProjectionRunnerConfiguration) -> Void = { _ in },
    _ body: @Sendable () async throws -> T
) async throws -> T {
    var configuration = ProjectionRunnerConfiguration()
    configuration.rebuildCheckInterval = .milliseconds(100)
    configuration.maximumBackoff = .milliseconds(200)
    configuration.standbyPollInterval = .milliseconds(100)
    configure(&configuration)
    var logger = Logger(label: "test.projection")
    logger.logLevel = .warning
    let runner = ProjectionRunner(projection: projection, store: store,
                                  lockConnection: try DatabaseURL.connectionConfiguration(databaseURL),
                                  configuration: configuration, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await runner.run() }
        defer { group.cancelAll() }
        return try await body()
    }
}

/// Waits until projection `name` has applied the log up to `cursor`.
public func waitUntilProjected(_ store: EventStore, _ name: String, _ cursor: Cursor) async throws {
    let catalog = ProjectionCatalog(client: store.client, logger: Logger(label: "test"))
    try await waitUntil(timeout: TestDatabase.horizonTimeout, "projection \(name) at \(cursor)") {
        guard let status = try await catalog.status(name) else { return false }
        return status.cursor >= cursor && status.rebuild == nil
    }
}

