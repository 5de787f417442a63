import EventStore
import Foundation
import Logging
import ServiceLifecycle

/// The `channels` read model of this serving process: the ``ChannelsModel`` the projection
/// engine keeps folded from the log, which routing decides from and channel reads answer from.
public final class ChannelsReadModel: Service, Sendable {
    let runner: ExternalProjectionRunner<ChannelsProjection>

    public init(store: EventStore, logger: Logger) {
        runner = ExternalProjectionRunner(projection: ChannelsProjection(), store: store, directory: nil, logger: logger)
    }

    public func run() async throws { try await runner.run() }

    /// The model answering now.
    public var model: ChannelsModel { runner.model }
    /// The log position every applied event is at or before.
    public var checkpoint: Cursor { runner.checkpoint }
    /// The engine's handle to rebuild it.
    public var rebuilding: any ExternalRebuilding { runner }

    /// Waits until the model has applied every event up to `cursor`.
    /// - Returns: false when `timeout` passed first.
    public func wait(for cursor: Cursor, timeout: Duration) async -> Bool {
        await runner.wait(for: cursor, timeout: timeout)
    }
}
