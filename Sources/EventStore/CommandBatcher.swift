import Domain
import Foundation

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
    }

    private let store: EventStore
    private let cache: StateCache<D.State>?
    private let maximumAttempts: Int
    /// The commands queued per stream.
    private let lanes: BatchLanes<Pending, Outcome>

    public init(store: EventStore, cache: StateCache<D.State>? = nil, maximumBatch: Int = 64, maximumAttempts: Int = 20) {
        self.store = store
        self.cache = cache
        lanes = BatchLanes(maximumBatch: maximumBatch)
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
        try await lanes.submit(Pending(command: command, metadata: metadata), key: "\(tenant)\u{0}\(stream)") { batch in
            await run(batch, tenant: tenant, stream: stream)
        }
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
