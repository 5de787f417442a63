import CNATS
import Synchronization

/// Messages on a subject as they are published (core NATS: at most once, nothing stored).
///
/// Iterate it from one task. Messages arriving faster than they are read wait in a
/// buffer of `bufferSize`; beyond that the oldest unread are dropped and counted in
/// ``droppedCount``. Ending the iteration, or dropping the sequence, unsubscribes.
public final class CoreSubscription: AsyncSequence, @unchecked Sendable {
    public typealias Element = NATSMessage

    private let stream: AsyncStream<NATSMessage>
    private let delivery: Delivery

    init(stream: AsyncStream<NATSMessage>, delivery: Delivery) {
        self.stream = stream
        self.delivery = delivery
    }

    deinit {
        delivery.unsubscribe()
    }

    /// Messages dropped because the reader fell more than the buffer behind.
    public var droppedCount: Int { delivery.dropped.load(ordering: .relaxed) }

    public func makeAsyncIterator() -> Iterator {
        Iterator(subscription: self, base: stream.makeAsyncIterator())
    }

    /// Holds the subscription while iterating: dropping it unsubscribes.
    public struct Iterator: AsyncIteratorProtocol {
        let subscription: CoreSubscription
        var base: AsyncStream<NATSMessage>.Iterator

        public mutating func next() async -> NATSMessage? {
            await base.next()
        }
    }

    /// What the C callbacks reach: the stream's continuation and the subscription.
    /// Retained by the C subscription until its on-complete callback.
    final class Delivery: Sendable {
        let continuation: AsyncStream<NATSMessage>.Continuation
        let dropped = Atomic<Int>(0)
        let subscription = Mutex<UnsafeSend<OpaquePointer>?>(nil)

        init(continuation: AsyncStream<NATSMessage>.Continuation) {
            self.continuation = continuation
        }

        func unsubscribe() {
            guard let subscription = subscription.withLock({ $0.take() }) else { return }
            natsSubscription_Unsubscribe(subscription.value)
            natsSubscription_Destroy(subscription.value)
        }

        static let onMessage: natsMsgHandler = { _, _, msg, closure in
            let delivery = Unmanaged<Delivery>.fromOpaque(closure!).takeUnretainedValue()
            guard let msg else { return }
            let message = NATSMessage(copying: msg)
            natsMsg_Destroy(msg)
            if case .dropped = delivery.continuation.yield(message) {
                delivery.dropped.add(1, ordering: .relaxed)
            }
        }

        static let onComplete: natsOnCompleteCB = { closure in
            let delivery = Unmanaged<Delivery>.fromOpaque(closure!).takeRetainedValue()
            delivery.continuation.finish()
        }
    }
}

extension NATSConnection {
    /// Subscribes to `subject` (wildcards allowed), optionally in queue group `queue`.
    /// - Throws: ``NATSError`` for an invalid subject or a closed connection.
    public func subscribe(to subject: String, queue: String? = nil, bufferSize: Int = 10_000) throws(NATSError)
        -> CoreSubscription
    {
        let (stream, continuation) = AsyncStream.makeStream(of: NATSMessage.self,
                                                            bufferingPolicy: .bufferingNewest(bufferSize))
        let delivery = CoreSubscription.Delivery(continuation: continuation)
        let closure = Unmanaged.passRetained(delivery).toOpaque()
        var subscription: OpaquePointer?
        let status = withOptionalCString(queue) { queue in
            queue == nil
                ? natsConnection_Subscribe(&subscription, pointer, subject, CoreSubscription.Delivery.onMessage, closure)
                : natsConnection_QueueSubscribe(&subscription, pointer, subject, queue, CoreSubscription.Delivery.onMessage, closure)
        }
        guard status == NATS_OK, let subscription else {
            Unmanaged<CoreSubscription.Delivery>.fromOpaque(closure).release()
            throw NATSError(status: status, operation: "subscribe to \(subject)")
        }
        guard natsSubscription_SetOnCompleteCB(subscription, CoreSubscription.Delivery.onComplete, closure) == NATS_OK else {
            // Closed before the callback could be set: nothing will release the delivery.
            natsSubscription_Destroy(subscription)
            continuation.finish()
            Unmanaged<CoreSubscription.Delivery>.fromOpaque(closure).release()
            throw NATSError(code: .connectionClosed, operation: "subscribe to \(subject)", message: "the subscription closed at once")
        }
        delivery.subscription.withLock { $0 = UnsafeSend(subscription) }
        continuation.onTermination = { _ in delivery.unsubscribe() }
        return CoreSubscription(stream: stream, delivery: delivery)
    }
}
