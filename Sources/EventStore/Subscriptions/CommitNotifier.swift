import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Sends `NOTIFY eventloom_events` after this process's commits, outside their transactions;
/// and, with a `checkpoint` payload naming each moved projection and its new checkpoint,
/// after projections of this process moved theirs (read-your-writes waiters of every
/// process compare with it, see ``CheckpointBoard``).
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
    private let pending = PendingNotifications()

    /// The payload that tells a checkpoint moved, not the log.
    static let checkpointPayload = "checkpoint"

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        (signals, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Records that a commit happened; never blocks.
    public func signal() {
        pending.mark(events: true)
        continuation.yield()
    }

    /// Records that projection `name`'s checkpoint moved to `cursor`; never blocks.
    func signalCheckpoint(_ name: String, at cursor: Cursor) {
        pending.mark(checkpoint: (name, cursor))
        continuation.yield()
    }

    /// Sends one notification; false (logged) when it could not be sent.
    private func notify(_ statement: PostgresQuery) async -> Bool {
        do {
            try await client.queryUnlessClosed(statement, logger: logger)
            return true
        } catch {
            guard !Task.isCancelled else { return true }
            logger.warning("could not notify subscribers; trying again in a second",
                           metadata: ["error": "\(DatabaseFailure.summary(error))"])
            return false
        }
    }

    /// How long after a notification that could not be sent it is tried again.
    static let retryInterval = Duration.seconds(1)

    public func run() async {
        for await _ in signals.cancelOnGracefulShutdown() {
            let due = pending.take()
            var sent = true
            if due.events, !(await notify("NOTIFY eventloom_events")) {
                pending.mark(events: true)
                sent = false
            }
            if !due.checkpoints.isEmpty,
               !(await notify("SELECT pg_notify('eventloom_events', \(CheckpointBoard.payload(due.checkpoints)))")) {
                // A waiter in another process would otherwise wait for its deadline.
                pending.restore(due.checkpoints)
                sent = false
            }
            if Task.isCancelled { return }
            try? await Task.sleep(for: sent ? Self.minimumInterval : Self.retryInterval)
            if !sent { continuation.yield() }
        }
    }
}

/// What the next notification must say: commits, moved checkpoints (the newest of each
/// projection), or both.
final class PendingNotifications: Sendable {
    private let state = Mutex((events: false, checkpoints: [String: Cursor]()))

    func mark(events: Bool = false, checkpoint: (name: String, cursor: Cursor)? = nil) {
        state.withLock { state in
            state.events = state.events || events
            if let checkpoint { state.checkpoints[checkpoint.name] = checkpoint.cursor }
        }
    }

    /// Puts back moves that could not be announced, unless a newer one of the same
    /// projection came meanwhile.
    func restore(_ checkpoints: [String: Cursor]) {
        state.withLock { state in
            for (name, cursor) in checkpoints where state.checkpoints[name] == nil { state.checkpoints[name] = cursor }
        }
    }

    /// What is pending, cleared.
    func take() -> (events: Bool, checkpoints: [String: Cursor]) {
        state.withLock { state in
            defer { state = (false, [:]) }
            return state
        }
    }
}
