import Synchronization

/// Work queued per key in which whoever comes first runs a batch of everything queued (its
/// own item first), then hands the turn to the next queued item's task: group commit without
/// a task of its own. Used by ``CommandBatcher`` (one lane per stream) and the rate limiter's
/// leases (one lane per set of scopes).
public final class BatchLanes<Item: Sendable, Output: Sendable>: Sendable {
    private struct Pending: Sendable {
        let item: Item
        let slot: Slot
    }

    /// Where a queued item learns its output, or that it is its turn to run a batch.
    private final class Slot: Sendable {
        enum Signal: Sendable {
            case done(Result<Output, any Error>)
            case lead
        }

        private let state = Mutex<(signal: Signal?, waiter: CheckedContinuation<Signal, Never>?)>((nil, nil))

        func resolve(_ signal: Signal) {
            let waiter = state.withLock { state -> CheckedContinuation<Signal, Never>? in
                guard let waiter = state.waiter else {
                    state.signal = signal
                    return nil
                }
                state.waiter = nil
                return waiter
            }
            waiter?.resume(returning: signal)
        }

        func wait() async -> Signal {
            await withCheckedContinuation { continuation in
                let signal = state.withLock { state -> Signal? in
                    if let signal = state.signal {
                        state.signal = nil
                        return signal
                    }
                    state.waiter = continuation
                    return nil
                }
                if let signal { continuation.resume(returning: signal) }
            }
        }
    }

    /// The most items one batch runs.
    public let maximumBatch: Int
    /// The items queued per key; a key has an entry while one runs or waits.
    private let lanes = Mutex<[String: [Pending]]>([:])

    public init(maximumBatch: Int) {
        self.maximumBatch = max(1, maximumBatch)
    }

    /// Queues `item` in `key`'s lane and returns its output: `run` gets a batch of the lane's
    /// first items (in arrival order) and answers each one's output, in the same order.
    /// Every caller of a key must pass a `run` that does the same.
    public func submit(_ item: Item, key: String, run: @Sendable ([Item]) async -> [Result<Output, any Error>]) async throws
        -> Output
    {
        let slot = Slot()
        let leads = lanes.withLock { lanes -> Bool in
            let leads = lanes[key] == nil
            lanes[key, default: []].append(Pending(item: item, slot: slot))
            return leads
        }
        var signal: Slot.Signal = leads ? .lead : await slot.wait()
        while case .lead = signal {
            await runBatch(key, run)
            signal = await slot.wait()
        }
        guard case .done(let result) = signal else { preconditionFailure("a slot resolves to an output last") }
        return try result.get()
    }

    /// Runs the lane's first items as one batch, then gives the turn to the next.
    private func runBatch(_ key: String, _ run: ([Item]) async -> [Result<Output, any Error>]) async {
        let batch = lanes.withLock { lanes in Array((lanes[key] ?? []).prefix(maximumBatch)) }
        let outputs = await run(batch.map(\.item))
        let next = lanes.withLock { lanes -> Slot? in
            var pending = lanes[key] ?? []
            pending.removeFirst(min(batch.count, pending.count))
            lanes[key] = pending.isEmpty ? nil : pending
            return pending.first?.slot
        }
        for (index, pending) in batch.enumerated() {
            pending.slot.resolve(.done(index < outputs.count ? outputs[index]
                : .failure(EventStoreError(.internalError, "a batch answered \(outputs.count) of \(batch.count) items"))))
        }
        next?.resolve(.lead)
    }
}
