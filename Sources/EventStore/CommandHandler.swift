import Domain
import Foundation
import PostgresNIO

/// Runs a command against one stream: load → fold → decide → append with the expected
/// version, and again from a fresh load when another writer got there first.
public struct CommandHandler<D: Decider>: Sendable where D.Event: RecordableEvent {
    public let store: EventStore
    public let maximumAttempts: Int
    /// Where the stream's state is folded from, when it holds one: then only the events
    /// after it are read. It only ever receives states folded from the log (the next
    /// command folds the events this one wrote from there), so it always equals a fold of
    /// the stored events.
    public let cache: StateCache<D.State>?

    public init(store: EventStore, decider _: D.Type = D.self, maximumAttempts: Int = 5, cache: StateCache<D.State>? = nil) {
        self.store = store
        self.maximumAttempts = max(1, maximumAttempts)
        self.cache = cache
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
        try await handle([command], tenant: tenant, stream: stream, metadata: metadata)
    }

    /// Decides `commands` in order, each on the state the ones before it left, and appends
    /// all their events at once: all or nothing. With `ifVersion`, the stream must be at
    /// that version (an HTTP `If-Match`); it is then never retried. `check` sees the current
    /// state before anything is decided (e.g. whether the caller may touch the stream).
    /// `guards` names other streams the append holds only if they are still where they
    /// were when it ran (e.g. ``EventStore/lockFence(tenant:resource:token:now:)``); it runs
    /// again on every attempt, so a guard that moved is checked afresh. `alongside` writes
    /// what the events refer to (e.g. ``ContentStore/write(_:on:)``) in the append's own
    /// transaction, after it: both commit, or neither.
    /// - Throws: what `check`, `guards` or `alongside` throw; the decider's error of the first command that breaks a rule;
    ///   ``EventStoreError/Code/wrongExpectedVersion`` when the stream is not at `ifVersion`
    ///   or every attempt lost the race.
    public func handle(
        _ commands: [D.Command], tenant: String, stream: String, ifVersion: Int64? = nil,
        metadata: EventMetadata = EventMetadata(), check: (D.State) throws -> Void = { _ in },
        guards: () async throws -> [StreamAppend] = { [] },
        alongside: ((PostgresConnection) async throws -> Void)? = nil
    ) async throws -> Outcome {
        var attempt = 1
        while true {
            let current = try await store.state(of: D.self, tenant: tenant, stream: stream, cache: cache)
            try check(current.state)
            let guarded = try await guards()
            let (events, state) = try Self.decide(commands, on: current.state)
            if let ifVersion, ifVersion != current.version {
                throw EventStoreError.wrongExpectedVersion(stream: stream, expected: .exact(ifVersion), actual: current.version)
            }
            guard !events.isEmpty else {
                return Outcome(events: [], state: current.state, version: current.version, append: nil)
            }
            do {
                let written = StreamAppend(stream: stream, expected: .exact(current.version),
                                           events: try Self.newEvents(events, on: current.state, metadata: metadata))
                let append = try await append([written] + guarded, tenant: tenant, alongside: alongside)
                return Outcome(events: events, state: state, version: append.version(of: stream) ?? current.version,
                               append: append)
            } catch let error as EventStoreError
                where error.code == .wrongExpectedVersion && ifVersion == nil && attempt < maximumAttempts {
                attempt += 1
            }
        }
    }

    private func append(_ appends: [StreamAppend], tenant: String,
                        alongside: ((PostgresConnection) async throws -> Void)?) async throws -> AppendResult {
        guard let alongside else { return try await store.append(tenant: tenant, appends) }
        let result = try await store.withTransaction { connection in
            let result = try await store.append(tenant: tenant, appends, on: connection)
            try await alongside(connection)
            return result
        }
        store.didCommit()
        return result
    }

    /// The stored form of `events`, each naming the data subject its aggregate gives it on
    /// the state before it (``Domain/DataSubjectNaming``): the store seals its personal fields.
    static func newEvents(_ events: [D.Event], on state: D.State, metadata: EventMetadata) throws -> [NewEvent] {
        let subjects: [String?] = if let naming = D.self as? any DataSubjectNaming.Type {
            dataSubjects(naming, events, state)
        } else {
            events.map { _ in nil }
        }
        return try zip(events, subjects).map { event, subject in
            var metadata = metadata
            metadata.dataSubject = subject
            return try NewEvent(event, metadata: metadata)
        }
    }

    private static func dataSubjects<N: DataSubjectNaming>(_: N.Type, _ events: [D.Event], _ initial: D.State) -> [String?] {
        guard let events = events as? [N.Event], var state = initial as? N.State else { return events.map { _ in nil } }
        return events.map { event in
            defer { state = N.evolve(state, event) }
            return N.dataSubject(of: event, in: state)
        }
    }

    /// Decides `commands` in order, each on the state the ones before it left. Runs before
    /// the `ifVersion` check, so a command that breaks a rule is refused for that rule (a
    /// fresher version would not make it pass) and a stale version is the answer only to a
    /// command that would otherwise be written.
    private static func decide(_ commands: [D.Command], on initial: D.State) throws -> (events: [D.Event], state: D.State) {
        var state = initial
        var events: [D.Event] = []
        for command in commands {
            let decided = try D.decide(command, state)
            for event in decided { D.apply(event, to: &state) }
            events += decided
        }
        return (events, state)
    }
}
