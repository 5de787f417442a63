import Logging
import PostgresNIO
import ServiceLifecycle

/// Holds one `LISTEN eventloom_events` connection and wakes this process's subscribers on
/// every notification of a commit, and its read-your-writes waiters on every notification
/// of a moved checkpoint. Reconnects with backoff when the connection is lost.
public struct LogListener: Service {
    private let client: PostgresClient
    private let wakeups: Wakeups
    private let checkpointWakeups: Wakeups
    private let checkpoints: CheckpointBoard
    private let erasures: ErasureBoard
    private let logger: Logger

    init(client: PostgresClient, wakeups: Wakeups, checkpointWakeups: Wakeups, checkpoints: CheckpointBoard,
         erasures: ErasureBoard, logger: Logger) {
        self.erasures = erasures
        self.client = client
        self.wakeups = wakeups
        self.checkpointWakeups = checkpointWakeups
        self.checkpoints = checkpoints
        self.logger = logger
    }

    public func run() async {
        var backoff = Backoff()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await listen()
                backoff.reset()
            } catch {
                guard !Task.isCancelled && !Task.isShuttingDownGracefully,
                      (error as? PSQLError)?.code != .poolClosed else { return }
                let delay = backoff.next(after: error)
                logger.warning("lost the LISTEN connection; subscribers fall back to polling until it is back",
                               metadata: ["error": "\(DatabaseFailure.summary(error))", "retry_in": "\(delay)"])
                try? await Task.sleep(for: delay)
            }
        }
    }

    private func listen() async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: EventStore.notificationChannel) { notifications in
                // Anything committed while nobody listened: let subscribers and waiters look.
                checkpoints.beganListening()
                wakeups.wakeAll()
                checkpointWakeups.wakeAll()
                for try await notification in notifications.cancelOnGracefulShutdown() {
                    if let erased = EventStore.erasure(in: notification.payload) {
                        erasures.forget(tenant: erased.tenant, subject: erased.subject)
                    } else if let moves = CheckpointBoard.moves(in: notification.payload) {
                        for move in moves { checkpoints.record(move.name, at: move.cursor) }
                        checkpointWakeups.wakeAll()
                    } else {
                        wakeups.wakeAll()
                    }
                }
            }
        }
    }
}
