import CNATS

/// A subscription bound to a durable pull consumer.
///
/// Closing or dropping it leaves the consumer on the server, so a later subscription
/// with the same durable name continues where this one stopped.
public final class PullSubscription: @unchecked Sendable {
    public let jetStream: JetStream
    public let stream: String
    public let durable: String
    /// The C subscription (`natsSubscription *`).
    private let pointer: OpaquePointer

    init(jetStream: JetStream, stream: String, durable: String, pointer: OpaquePointer) {
        self.jetStream = jetStream
        self.stream = stream
        self.durable = durable
        self.pointer = pointer
    }

    deinit {
        natsSubscription_Destroy(pointer)
    }

    /// Up to `batch` messages: those available now, or else the first to arrive within
    /// `timeout`. Empty when none arrived. Call from one task at a time.
    ///
    /// (The C client's own fetch waits until the batch is full or the timeout passes,
    /// which delays a trickle of messages by the whole timeout: this asks for what is
    /// there without waiting, and only when nothing is, waits for one message.)
    /// - Throws: ``NATSError`` (e.g. `connectionClosed`; `timeout` is not an error here).
    public func fetch(batch: Int, timeout: Duration = .seconds(1)) async throws -> [JetStreamMessage] {
        try await BlockingCalls.run { () throws(NATSError) -> [JetStreamMessage] in
            let available = try self.fetchNow(batch: batch, noWait: true, timeout: timeout)
            if !available.isEmpty { return available }
            return try self.fetchNow(batch: 1, noWait: false, timeout: timeout)
        }
    }

    private func fetchNow(batch: Int, noWait: Bool, timeout: Duration) throws(NATSError) -> [JetStreamMessage] {
        var request = jsFetchRequest()
        jsFetchRequest_Init(&request)
        request.Batch = Int32(batch)
        request.NoWait = noWait
        request.Expires = timeout.milliseconds * 1_000_000
        var list = natsMsgList()
        let status = natsSubscription_FetchRequest(&list, pointer, &request)
        defer { natsMsgList_Destroy(&list) }
        if status == NATS_TIMEOUT || status == NATS_NOT_FOUND { return [] }
        try check(status, "fetch from consumer \(durable)")
        return (0..<Int(list.Count)).compactMap { index in
            guard let msg = list.Msgs[index] else { return nil }
            list.Msgs[index] = nil  // now owned by the JetStreamMessage
            return JetStreamMessage(taking: msg, from: self)
        }
    }

    /// Every message, fetched `batch` at a time; ends when the iterating task is cancelled.
    public func messages(batch: Int = 256) -> Messages {
        Messages(subscription: self, batch: batch)
    }

    public struct Messages: AsyncSequence, Sendable {
        public typealias Element = JetStreamMessage
        let subscription: PullSubscription
        let batch: Int

        public func makeAsyncIterator() -> Iterator { Iterator(subscription: subscription, batch: batch) }

        public struct Iterator: AsyncIteratorProtocol {
            let subscription: PullSubscription
            let batch: Int
            var buffer: [JetStreamMessage] = []

            public mutating func next() async throws -> JetStreamMessage? {
                while buffer.isEmpty {
                    if Task.isCancelled { return nil }
                    buffer = try await subscription.fetch(batch: batch, timeout: .milliseconds(500)).reversed()
                }
                return buffer.popLast()
            }
        }
    }
}
