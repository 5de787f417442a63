import Logging
import PostgresNIO
import ServiceLifecycle

/// Sends `NOTIFY eventloom_events` after this process's commits, outside their transactions.
///
/// At most one `NOTIFY` is in flight, and the next waits `minimumInterval` after it;
/// every commit signalled meanwhile folds into that next one (docs/event-log.md: a NOTIFY
/// inside the append would serialize commits). Under load this caps notifications at
/// 1/`minimumInterval` per process and delays a subscriber's wake-up by at most that much.
public struct CommitNotifier: Service {
    /// The shortest time between two notifications of this process.
    public static let minimumInterval = Duration.milliseconds(2)

    private let client: PostgresClient
    private let logger: Logger
    private let signals: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        (signals, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Records that a commit happened; never blocks.
    public func signal() {
        continuation.yield()
    }

    public func run() async {
        for await _ in signals.cancelOnGracefulShutdown() {
            do {
                try await client.query("NOTIFY eventloom_events", logger: logger)
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning("could not notify subscribers; they will catch up on their next poll",
                               metadata: ["error": "\(DatabaseFailure.summary(error))"])
            }
            try? await Task.sleep(for: Self.minimumInterval)
        }
    }
}
