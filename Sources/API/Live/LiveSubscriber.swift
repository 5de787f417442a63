import EventStore
import Synchronization

/// One live client's queue of new events, bounded: a client that falls `capacity` events
/// behind is cut off (``next()`` returns nil) rather than let the server's memory grow.
final class LiveSubscriber: Sendable {
    let filter: LogFilter
    let streamID: String?
    private let capacity: Int
    private let state = Mutex(State())

    private struct State {
        var queue: [RecordedEvent] = []
        var waiter: CheckedContinuation<[RecordedEvent]?, Never>?
        var ended = false
    }


    /// Called once, on the follower's task, when the client falls too far behind: the
    /// client's task may be stuck writing to a socket nobody reads, so this closes it.
    private let onOverflow: @Sendable () -> Void

    init(filter: LogFilter, streamID: String?, capacity: Int, onOverflow: @escaping @Sendable () -> Void) {
        self.filter = filter
        self.streamID = streamID
        self.capacity = capacity
        self.onOverflow = onOverflow
    }

    func wants(_ event: RecordedEvent) -> Bool {
        (filter.tenant == nil || filter.tenant == event.tenant)
            && (filter.category == nil || filter.category == event.category)
            && (filter.types.map { $0.contains(event.type) } ?? true)
            && (streamID == nil || streamID == event.stream)
    }

    /// Queues the events it wants; cuts the subscriber off when that would pass `capacity`.
    func offer(_ events: [RecordedEvent]) {
        let wanted = events.filter(wants)
        guard !wanted.isEmpty else { return }
        let (waiter, batch, overflowed) = state.withLock { state -> (CheckedContinuation<[RecordedEvent]?, Never>?, [RecordedEvent]?, Bool) in
            guard !state.ended else { return (nil, nil, false) }
            if state.queue.count + wanted.count > capacity {
                state.ended = true
                state.queue = []
                defer { state.waiter = nil }
                return (state.waiter, nil, true)
            }
            state.queue += wanted
            guard let waiter = state.waiter else { return (nil, nil, false) }
            state.waiter = nil
            defer { state.queue = [] }
            return (waiter, state.queue, false)
        }
        if overflowed { onOverflow() }
        waiter?.resume(returning: batch)
    }

    /// Ends the queue (shutdown, or the client left).
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<[RecordedEvent]?, Never>? in
            state.ended = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Every queued event, waiting for one if there is none; `[]` when the waiting task is
    /// cancelled; nil once the queue has ended.
    func next() async -> [RecordedEvent]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> [RecordedEvent]?? in
                    if !state.queue.isEmpty {
                        defer { state.queue = [] }
                        return .some(state.queue)
                    }
                    if state.ended { return .some(nil) }
                    if Task.isCancelled { return .some([]) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<[RecordedEvent]?, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: [])
        }
    }
}
