import CNATS

/// A message delivered by a pull consumer; acknowledge it once handled, or it is
/// delivered again after the consumer's ack wait.
public final class JetStreamMessage: @unchecked Sendable {
    public let message: NATSMessage
    /// The message's sequence in its stream.
    public let streamSequence: UInt64
    /// How many times the consumer has delivered it (1 the first time).
    public let deliveryCount: UInt64
    /// The C message (`natsMsg *`), kept for the ack; destroyed with this object.
    private let pointer: OpaquePointer
    /// Acking reads the C subscription the message came from: it must outlive the message.
    private let subscription: PullSubscription

    /// Takes ownership of `msg`, delivered by `subscription`.
    init(taking msg: OpaquePointer, from subscription: PullSubscription) {
        pointer = msg
        self.subscription = subscription
        message = NATSMessage(copying: msg)
        var meta: UnsafeMutablePointer<jsMsgMetaData>?
        if natsMsg_GetMetaData(&meta, msg) == NATS_OK, let meta {
            streamSequence = meta.pointee.Sequence.Stream
            deliveryCount = meta.pointee.NumDelivered
            jsMsgMetaData_Destroy(meta)
        } else {
            streamSequence = 0
            deliveryCount = 0
        }
    }

    deinit {
        natsMsg_Destroy(pointer)
    }

    /// Acknowledges the message (sent without waiting for the server's confirmation).
    public func ack() throws(NATSError) {
        try check(natsMsg_Ack(pointer, nil), "ack message \(streamSequence)")
    }

    /// Gives the message back: the consumer delivers it again at once instead of after
    /// its ack wait.
    public func nak() throws(NATSError) {
        try check(natsMsg_Nak(pointer, nil), "nak message \(streamSequence)")
    }
}
