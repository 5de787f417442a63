import NATS

/// Where and how the relay publishes. The defaults are the contract of
/// ../shared/design/nats.md; tests change the names to run side by side.
public struct RelayConfiguration: Sendable {
    public var nats: NATSConnectionOptions
    /// The JetStream stream, created or updated at start to capture `<subjectPrefix>.>`.
    public var streamName = "EVENTLOOM"
    public var subjectPrefix = "eventloom"
    /// How long JetStream drops a repeated `Nats-Msg-Id` (at least two minutes).
    public var duplicateWindow: Duration = .seconds(120)
    /// Publishes awaiting their JetStream ack at once.
    public var maxInFlight = 2048
    /// Events read from the log per query.
    public var batchSize = 1000
    /// A publish not acknowledged within this long fails, and publishing restarts from
    /// the stream's last message.
    public var ackTimeout: Duration = .seconds(5)
    /// How often the published cursor is saved (the stream itself is the exact record).
    public var checkpointInterval: Duration = .milliseconds(200)
    /// How often the lag is logged.
    public var lagInterval: Duration = .seconds(10)
    /// The longest pause between two attempts while NATS or PostgreSQL is unavailable.
    public var maximumBackoff: Duration = .seconds(5)

    public init(nats: NATSConnectionOptions) {
        self.nats = nats
    }

    /// The checkpoint's name in `checkpoints` (tenant `""`).
    public var checkpointName: String { "relay:\(streamName)" }

    var stream: StreamConfiguration {
        StreamConfiguration(name: streamName, subjects: ["\(subjectPrefix).>"], duplicateWindow: duplicateWindow)
    }
}
