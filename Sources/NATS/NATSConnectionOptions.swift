/// How to reach a NATS server and how to behave when it goes away.
public struct NATSConnectionOptions: Sendable {
    /// `nats://host:port`.
    public var url: String
    /// The client name the server shows in its monitoring.
    public var name: String
    /// How long the first connection attempt may take.
    public var connectTimeout: Duration = .seconds(2)
    /// The pause between two reconnection attempts.
    public var reconnectWait: Duration = .milliseconds(250)
    /// Server pings, to notice a dead connection that TCP does not report.
    public var pingInterval: Duration = .seconds(5)

    public init(url: String, name: String = "eventloom") {
        self.url = url
        self.name = name
    }
}

extension Duration {
    /// Whole milliseconds, as the C client takes them.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
