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
    let wakeups: Wakeups
    let checkpointWakeups: Wakeups
    let checkpoints = CheckpointBoard()
    let horizonFloor = HorizonFloor()
    /// The data subjects' keys, for personal data (docs/erasure.md); nil when no master key
    /// is configured (then nothing personal can be written, and it reads as erased).
    public let keyring: SubjectKeyring?
    /// Erasures this process has learnt of (``erasureEpoch``).
    let erasures: ErasureBoard

    /// The channel writers notify after a commit.
    public static let notificationChannel = "eventloom_events"

    public init(client: PostgresClient, logger: Logger, limits: AppendLimits = AppendLimits(),
                keyring: SubjectKeyring? = nil) {
        let wakeups = Wakeups()
        let erasures = ErasureBoard(keyring: keyring)
        self.keyring = keyring
        self.erasures = erasures
        let checkpointWakeups = Wakeups()
        self.client = client
        self.limits = limits
        self.logger = logger
        self.wakeups = wakeups
        self.checkpointWakeups = checkpointWakeups
        self.notifier = CommitNotifier(client: client, logger: logger)
        self.listener = LogListener(client: client, wakeups: wakeups, checkpointWakeups: checkpointWakeups,
                                    checkpoints: checkpoints, erasures: erasures, logger: logger)
    }

    /// Tells subscribers that a transaction which appended events has committed.
    ///
    /// ``append(tenant:_:)`` calls it itself; call it after committing a transaction
    /// that used ``append(tenant:_:on:)``.
    public func didCommit() {
        notifier.signal()
        wakeups.wakeAll()
    }

    /// Tells read-your-writes waiters of every process that projection `name` committed
    /// its checkpoint at `cursor` (its runner calls it after each commit).
    public func didMoveCheckpoint(_ name: String, to cursor: Cursor) {
        checkpoints.record(name, at: cursor)
        notifier.signalCheckpoint(name, at: cursor)
        checkpointWakeups.wakeAll()
    }

    /// A stream that yields whenever a projection's checkpoint may have moved, in any
    /// process; moves that come while nobody reads it fold into one.
    public func checkpointMoves() -> AsyncStream<Void> {
        checkpointWakeups.stream()
    }

    /// The newest checkpoint projection `name` announced (in this process or by `NOTIFY`
    /// from another); nil before its first announcement. Costs no query.
    public func announcedCheckpoint(of name: String) -> Cursor? {
        checkpoints.cursor(of: name)
    }

    /// Changes each time this process's ``listener`` begins listening: announcements sent
    /// before may have been missed, so a waiter that sees it change reads the checkpoint
    /// once instead of trusting ``announcedCheckpoint(of:)``.
    public var announcementEpoch: UInt64 { checkpoints.epoch }
}
