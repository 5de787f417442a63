import Logging
import PostgresNIO

/// The event log on PostgreSQL: append, read, subscribe, fold, verify.
///
/// Contract: docs/event-log.md. Run ``notifier`` and ``listener`` (both `Service`s)
/// next to the `PostgresClient` so that subscribers wake as soon as a commit lands;
/// without them subscribers still see every event, on their periodic re-read.
public struct EventStore: Sendable {
    public let client: PostgresClient
    public let limits: AppendLimits
    /// Sends the coalesced `NOTIFY` after this process's commits.
    public let notifier: CommitNotifier
    /// Receives every process's `NOTIFY` and wakes this process's subscribers.
    public let listener: LogListener
    let logger: Logger
    let wakeups: LogWakeups

    /// The channel writers notify after a commit.
    public static let notificationChannel = "eventloom_events"

    public init(client: PostgresClient, logger: Logger, limits: AppendLimits = AppendLimits()) {
        let wakeups = LogWakeups()
        self.client = client
        self.limits = limits
        self.logger = logger
        self.wakeups = wakeups
        self.notifier = CommitNotifier(client: client, logger: logger)
        self.listener = LogListener(client: client, wakeups: wakeups, logger: logger)
    }

    /// Tells subscribers that a transaction which appended events has committed.
    ///
    /// ``append(tenant:_:)`` calls it itself; call it after committing a transaction
    /// that used ``append(tenant:_:on:)``.
    public func didCommit() {
        notifier.signal()
        wakeups.wakeAll()
    }
}
