/// A durable pull consumer: explicit acks, delivery from the first message of the stream.
public struct ConsumerConfiguration: Sendable {
    public var durable: String
    /// Only messages whose subject matches (wildcards allowed); all when nil.
    public var filterSubject: String?
    /// Unacknowledged messages are delivered again after this long.
    public var ackWait: Duration
    /// Messages delivered but not yet acknowledged, at most.
    public var maxAckPending: Int

    public init(durable: String, filterSubject: String? = nil, ackWait: Duration = .seconds(30), maxAckPending: Int = 20_000) {
        self.durable = durable
        self.filterSubject = filterSubject
        self.ackWait = ackWait
        self.maxAckPending = maxAckPending
    }
}
