import EventStore
import Logging
import PostgresNIO
import ServiceLifecycle

/// Keeps one projection's read model up to date: reads the log by cursor in batches and
/// applies each with the checkpoint in one transaction (docs/projections.md).
///
/// One runner per projection writes at a time (an advisory lock; the others stand by).
/// An event that fails to apply stops the projection there, visibly in its status; the
/// runner retries it with backoff and goes on once it applies. A requested rebuild, or a
/// new ``Projection/version``, rebuilds into separate tables, then swaps them in.
public struct ProjectionRunner: Service {
    public let projection: any Projection
    let store: EventStore
    let catalog: ProjectionCatalog
    let configuration: ProjectionRunnerConfiguration
    let leaderLock: LeaderLock
    let logger: Logger

    /// - Parameter lockConnection: where to hold the projection's lock (the store's database).
    public init(projection: any Projection, store: EventStore, lockConnection: PostgresConnection.Configuration,
                configuration: ProjectionRunnerConfiguration = ProjectionRunnerConfiguration(), logger: Logger)
    {
        var logger = logger
        logger[metadataKey: "projection"] = "\(projection.name)"
        self.projection = projection
        self.store = store
        self.catalog = ProjectionCatalog(client: store.client, logger: logger)
        self.configuration = configuration
        self.leaderLock = LeaderLock(role: "projection \(projection.name)", objectID: Self.lockID(projection.name),
                                     configuration: lockConnection, pollInterval: configuration.standbyPollInterval,
                                     logger: logger)
        self.logger = logger
    }

    public func run() async throws {
        try projection.validate()
        await cancelWhenGracefulShutdown {
            await leaderLock.leadUntilCancelled(maximumBackoff: configuration.maximumBackoff) { try await self.lead() }
        }
    }

    /// Follows the log while holding the lock, rebuilding when asked; returns only when cancelled.
    private func lead() async throws {
        if try await register() {
            logger.notice("projection: registered; its tables are created empty")
        }
        while !Task.isCancelled {
            guard let status = try await catalog.status(projection.name) else {
                throw ProjectionError.unknownProjection(projection.name)
            }
            if needsRebuild(status) {
                try await rebuild(status)
            } else {
                try await follow(from: status.cursor)
            }
        }
    }

    func needsRebuild(_ status: ProjectionStatus) -> Bool {
        status.rebuild != nil || status.version != projection.version
    }

    /// The object key of the leader lock of projection `name` (``EventStore/LeaderLock``):
    /// 1 is the relay's, 2 log writers' (migration 0006); projections hash their name above 0xFFFF.
    public static func lockID(_ name: String) -> Int32 {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int32(bitPattern: (hash & 0x7FFF_FFFF) | 0x0001_0000)
    }
}
