import Domain
import Foundation

/// Runs a command against one stream: load → fold → decide → append with the expected
/// version, and again from a fresh load when another writer got there first.
public struct CommandHandler<D: Decider>: Sendable where D.Event: RecordableEvent {
    public let store: EventStore
    public let maximumAttempts: Int

    public init(store: EventStore, decider _: D.Type = D.self, maximumAttempts: Int = 5) {
        self.store = store
        self.maximumAttempts = max(1, maximumAttempts)
    }

    /// What a handled command did.
    public struct Outcome: Sendable {
        /// The events `decide` produced (empty: the command changed nothing).
        public let events: [D.Event]
        /// The stream's state after them.
        public let state: D.State
        /// The stream's version after them.
        public let version: Int64
        /// Where they were written; `nil` when there were none.
        public let append: AppendResult?
    }

    /// Decides `command` on the current state of `stream` and appends the result.
    /// - Throws: the decider's error when the command breaks a rule (never retried);
    ///   ``EventStoreError/Code/wrongExpectedVersion`` when every attempt lost the race.
    public func handle(
        _ command: D.Command, tenant: String, stream: String, metadata: EventMetadata = EventMetadata()
    ) async throws -> Outcome {
        var attempt = 1
        while true {
            let current = try await store.state(of: D.self, tenant: tenant, stream: stream)
            let events = try D.decide(command, current.state)
            guard !events.isEmpty else {
                return Outcome(events: [], state: current.state, version: current.version, append: nil)
            }
            do {
                let append = try await store.append(
                    tenant: tenant, stream: stream, expected: .exact(current.version),
                    events: try events.map { try NewEvent($0, metadata: metadata) })
                let state = events.reduce(current.state, D.evolve)
                return Outcome(events: events, state: state, version: append.version(of: stream) ?? current.version,
                               append: append)
            } catch let error as EventStoreError where error.code == .wrongExpectedVersion && attempt < maximumAttempts {
                attempt += 1
            }
        }
    }
}
