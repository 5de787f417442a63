import CNATS

/// JetStream on a connection: streams, asynchronous publishing with a bounded number
/// of unacknowledged messages, and durable pull consumers.
public final class JetStream: @unchecked Sendable {
    public let connection: NATSConnection
    /// The C context (`jsCtx *`); valid until `deinit`.
    let context: OpaquePointer
    let acks: AckRouter
    /// How long JetStream API requests (stream info, consumer creation…) may take.
    public let requestTimeout: Duration

    /// - Parameter maxInFlight: publishes awaiting their ack at once; ``publish(_:options:)``
    ///   waits for a free slot beyond that.
    public init(connection: NATSConnection, maxInFlight: Int = 1024, requestTimeout: Duration = .seconds(5)) throws {
        let acks = AckRouter(limit: max(maxInFlight, 1))
        // The router must outlive every ack callback, which may run until the connection
        // closes: the connection keeps it, and fails its pending acks when it closes.
        connection.keepUntilClosed(acks)
        var options = jsOptions()
        try check(jsOptions_Init(&options), "init JetStream options")
        options.Wait = requestTimeout.milliseconds
        options.PublishAsync.AckHandler = AckRouter.handler
        options.PublishAsync.AckHandlerClosure = Unmanaged.passUnretained(acks).toOpaque()
        var context: OpaquePointer?
        try check(natsConnection_JetStream(&context, connection.pointer, &options), "create JetStream context")
        self.connection = connection
        self.context = context!
        self.acks = acks
        self.requestTimeout = requestTimeout
    }

    deinit {
        jsCtx_Destroy(context)
        // The C client drops unacknowledged messages with the context, without a callback.
        acks.failAll(NATSError(code: .connectionClosed, operation: "publish",
                               message: "the JetStream context was released before the ack"))
    }

    /// Publishes whose ack (or failure) has not arrived yet.
    public var outstandingAcks: Int { acks.limit.inUse }

    /// Publishes asynchronously: returns once the message is sent, with the ack to await.
    ///
    /// Suspends while `maxInFlight` publishes await their ack. Every pending ack resolves,
    /// at the latest after `options.ackTimeout` (with `timeout`).
    /// - Throws: ``NATSError`` if the message cannot be sent (closed connection, reconnect
    ///   buffer full); `CancellationError` if cancelled while waiting for a slot.
    public func publish(_ message: OutgoingMessage, options: PublishOptions = PublishOptions()) async throws -> PendingAck {
        try await acks.limit.acquire()
        do {
            return try publishNow(message, options: options)
        } catch {
            acks.limit.release()
            throw error
        }
    }

    private func publishNow(_ message: OutgoingMessage, options: PublishOptions) throws(NATSError) -> PendingAck {
        var message = message
        if options.expectedLastSequence == 0 {
            // The C client takes 0 for "no expectation"; the header itself can say "empty".
            message.headers.append(("Nats-Expected-Last-Sequence", "0"))
        }
        var msg: OpaquePointer? = try message.makeCMessage()
        defer { natsMsg_Destroy(msg) }  // a no-op once the C client took ownership
        let pending = PendingAck()
        acks.register(pending, for: msg!)
        var pubOptions = jsPubOptions()
        jsPubOptions_Init(&pubOptions)
        pubOptions.MaxWait = options.ackTimeout.milliseconds
        pubOptions.ExpectLastSeq = options.expectedLastSequence ?? 0
        let key = msg!
        let status = withOptionalCString(options.messageID) { id in
            pubOptions.MsgId = id
            return js_PublishMsgAsync(context, &msg, &pubOptions)
        }
        if status != NATS_OK {
            acks.unregister(key)
            throw NATSError(status: status, operation: "publish to \(message.subject)")
        }
        return pending
    }
}

func withOptionalCString<T>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
