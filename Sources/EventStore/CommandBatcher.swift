import Domain
import Foundation
import Synchronization

/// ``CommandHandler``'s batching form for hot streams: this process's commands on one
/// stream queue in arrival order, and whoever runs first decides every queued command in
/// turn (each on the state the ones before it left) and appends all their events at once.
/// A command that breaks a rule fails alone; the others are written. Each command's
/// outcome is what ``CommandHandler`` would have returned for it alone, in that order.
public final class CommandBatcher<D: Decider>: Sendable where D.Event: RecordableEvent {
    public typealias Outcome = CommandHandler<D>.Outcome

    private struct Pending: Sendable {
        let command: D.Command
        let metadata: EventMetadata
        let slot: Slot
    }

    /// Where a queued command learns its outcome, or that it is its turn to run a batch.
    private final class Slot: Sendable {
        enum Signal: Sendable {
            case done(Result<Outcome, any Error>)
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

    private let store: EventStore
    private let cache: StateCache<D.State>?
    private let maximumBatch: Int
    private let maximumAttempts: Int
    /// The commands queued per stream; a stream has an entry while one runs or waits.
    private let lanes = Mutex<[String: [Pending]]>([:])

    public init(store: EventStore, cache: StateCache<D.State>? = nil, maximumBatch: Int = 64, maximumAttempts: Int = 20) {
        self.store = store
        self.cache = cache
        self.maximumBatch = max(1, maximumBatch)
        self.maximumAttempts = max(1, maximumAttempts)
    }

    /// Decides `command` on `stream`, in one append with the commands queued beside it.
    /// The task of the first command in the queue runs the batch (its own command first),
    /// then hands the turn to the next queued command's task.
    /// - Throws: the decider's error when the command breaks a rule (nothing of it written);
    ///   the store's error when the append fails (nothing of the batch written).
    public func handle(_ command: D.Command, tenant: String, stream: String, metadata: EventMetadata = EventMetadata())
        async throws -> Outcome
    {
        let key = "\(tenant)\u{0}\(stream)"
        let slot = Slot()
        let leads = lanes.withLock { lanes -> Bool in
            let leads = lanes[key] == nil
            lanes[key, default: []].append(Pending(command: command, metadata: metadata, slot: slot))
            return leads
        }
        var signal: Slot.Signal = leads ? .lead : await slot.wait()
        while case .lead = signal {
            await runBatch(key, tenant: tenant, stream: stream)
            signal = await slot.wait()
        }
        guard case .done(let result) = signal else { preconditionFailure("a slot resolves to an outcome last") }
        return try result.get()
    }

    /// Runs the queue's first commands as one batch, then gives the turn to the next.
    private func runBatch(_ key: String, tenant: String, stream: String) async {
        let batch = lanes.withLock { lanes in Array((lanes[key] ?? []).prefix(maximumBatch)) }
        let outcomes = await run(batch, tenant: tenant, stream: stream)
        let next = lanes.withLock { lanes -> Slot? in
            var pending = lanes[key] ?? []
            pending.removeFirst(min(batch.count, pending.count))
            lanes[key] = pending.isEmpty ? nil : pending
            return pending.first?.slot
        }
        for (pending, outcome) in zip(batch, outcomes) { pending.slot.resolve(.done(outcome)) }
        next?.resolve(.lead)
    }

    private func run(_ batch: [Pending], tenant: String, stream: String) async -> [Result<Outcome, any Error>] {
        var attempt = 1
        while true {
            do {
                return try await decideAndAppend(batch, tenant: tenant, stream: stream)
            } catch let error as EventStoreError where error.code == .wrongExpectedVersion && attempt < maximumAttempts {
                attempt += 1
            } catch {
                return batch.map { _ in .failure(error) }
            }
        }
    }

    /// Each command's outcome (or its rule's error), after one append of all their events.
    private func decideAndAppend(_ batch: [Pending], tenant: String, stream: String) async throws -> [Result<Outcome, any Error>] {
        let current = try await store.state(of: D.self, tenant: tenant, stream: stream, cache: cache)
        var state = current.state
        var decided: [Result<(events: [D.Event], state: D.State, first: Int), any Error>] = []
        var written: [NewEvent] = []
        for pending in batch {
            do {
                let events = try D.decide(pending.command, state)
                let first = written.count
                written += try CommandHandler<D>.newEvents(events, on: state, metadata: pending.metadata)
                for event in events { D.apply(event, to: &state) }
                decided.append(.success((events, state, first)))
            } catch {
                decided.append(.failure(error))
            }
        }
        let append: AppendResult? = written.isEmpty ? nil : try await store.append(
            tenant: tenant, [StreamAppend(stream: stream, expected: .exact(current.version), events: written)])
        return decided.map { result in
            result.map { events, state, first in
                let own = append.map { AppendResult(events: Array($0.events[first..<(first + events.count)]), wasReplayed: $0.wasReplayed) }
                return Outcome(events: events, state: state, version: current.version + Int64(first + events.count),
                               append: events.isEmpty ? nil : own)
            }
        }
    }
}
