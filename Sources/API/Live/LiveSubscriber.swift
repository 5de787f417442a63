import EventStore
import Synchronization

/// One live client's queue of new events, bounded: a client that falls `capacity` events
/// behind is cut off (``next()`` returns `.ended`) rather than let the server's memory grow.
final class LiveSubscriber: Sendable {
    let filter: LogFilter
    /// nil: every stream the filter lets through.
    let streams: LiveStreams?
    private let capacity: Int
    private let state: Mutex<State>

    /// What ``next()`` hands the client's session.
    enum Delivery: Sendable {
        case chunks([LiveChunk])
        /// Nothing for a heartbeat interval: time for a keep-alive.
        case heartbeat
        /// Shutdown, the client left, or it fell too far behind.
        case ended
    }

    private struct State {
        var queue: [LiveChunk] = []
        var queuedEvents = 0
        var waiter: CheckedContinuation<Delivery, Never>?
        var ended = false
        /// When the session last got something to write.
        var lastDelivery: ContinuousClock.Instant
    }

    /// Called once, on the follower's task, when the client falls too far behind: the
    /// client's task may be stuck writing to a socket nobody reads, so this closes it.
    private let onOverflow: @Sendable () -> Void

    init(filter: LogFilter, streams: LiveStreams?, capacity: Int, onOverflow: @escaping @Sendable () -> Void) {
        self.filter = filter
        self.streams = streams
        self.capacity = capacity
        self.onOverflow = onOverflow
        self.state = Mutex(State(lastDelivery: .now))
    }

    func wants(_ event: RecordedEvent) -> Bool {
        (filter.tenant == nil || filter.tenant == event.tenant)
            && (filter.category == nil || filter.category == event.category)
            && (filter.types.map { $0.contains(event.type) } ?? true)
            && (streams?.contains(event.stream) ?? true)
    }

    /// Queues the events of `batch` it wants; cuts the subscriber off when that would pass
    /// `capacity`. Returns false once the queue has ended (the follower then drops it).
    @discardableResult
    func offer(_ batch: LiveBatch) -> Bool {
        let chunk = batch.chunk(where: wants)
        let (waiter, delivery, overflowed, open) = state.withLock { state -> (CheckedContinuation<Delivery, Never>?, Delivery, Bool, Bool) in
            guard !state.ended else { return (nil, .ended, false, false) }
            guard let chunk else { return (nil, .ended, false, true) }
            if state.queuedEvents + chunk.events.count > capacity {
                state.ended = true
                state.queue = []
                return (Self.takeWaiter(&state), .ended, true, false)
            }
            state.queue.append(chunk)
            state.queuedEvents += chunk.events.count
            guard state.waiter != nil else { return (nil, .ended, false, true) }
            return (Self.takeWaiter(&state), Self.takeQueue(&state), false, true)
        }
        if overflowed { onOverflow() }
        waiter?.resume(returning: delivery)
        return open
    }

    /// A keep-alive for a session that has waited `interval` with nothing to write.
    func heartbeatIfSilent(for interval: Duration, now: ContinuousClock.Instant) {
        let waiter = state.withLock { state -> CheckedContinuation<Delivery, Never>? in
            guard state.waiter != nil, state.lastDelivery + interval <= now else { return nil }
            state.lastDelivery = now
            return Self.takeWaiter(&state)
        }
        waiter?.resume(returning: .heartbeat)
    }

    /// Ends the queue (shutdown, or the client left).
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Delivery, Never>? in
            state.ended = true
            return Self.takeWaiter(&state)
        }
        waiter?.resume(returning: .ended)
    }

    /// Every queued chunk, waiting for one if there is none (or for a heartbeat).
    func next() async -> Delivery {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Delivery? in
                    if !state.queue.isEmpty { return Self.takeQueue(&state) }
                    if state.ended || Task.isCancelled { return .ended }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            close()
        }
    }

    private static func takeWaiter(_ state: inout State) -> CheckedContinuation<Delivery, Never>? {
        defer { state.waiter = nil }
        return state.waiter
    }

    private static func takeQueue(_ state: inout State) -> Delivery {
        defer {
            state.queue = []
            state.queuedEvents = 0
            state.lastDelivery = .now
        }
        return .chunks(state.queue)
    }
}
