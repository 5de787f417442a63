import Logging
import PostgresNIO
import ServiceLifecycle

/// Holds one `LISTEN eventloom_events` connection and wakes this process's subscribers on
/// every notification. Reconnects with backoff when the connection is lost.
public struct LogListener: Service {
    private let client: PostgresClient
    private let wakeups: LogWakeups
    private let logger: Logger

    init(client: PostgresClient, wakeups: LogWakeups, logger: Logger) {
        self.client = client
        self.wakeups = wakeups
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
                let delay = backoff.next()
                logger.warning("lost the LISTEN connection; subscribers fall back to polling until it is back",
                               metadata: ["error": "\(DatabaseFailure.summary(error))", "retry_in": "\(delay)"])
                try? await Task.sleep(for: delay)
            }
        }
    }

    private func listen() async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: EventStore.notificationChannel) { notifications in
                // Anything committed while nobody listened: let subscribers look.
                wakeups.wakeAll()
                for try await _ in notifications.cancelOnGracefulShutdown() {
                    wakeups.wakeAll()
                }
            }
        }
    }
}
