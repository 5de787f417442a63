import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO
import Projections

/// One `bench erasure` run: load, project, erase, then time until the subject reads as
/// erased in each place.
struct BenchErasureRun {
    let events: Int
    let scratch: ScratchDatabase
    let logger: Logger
    static let tenant = "bench"
    /// Sessions of `u0` (erased) and `u1` (kept) alternate: session n belongs to u<n mod 2>.
    static let eventsPerSession = 100
    static let erased = "u0"

    var sessionsPerSubject: Int { max(1, events / Self.eventsPerSession) }

    func run() async throws {
        try await load()
        let environment = ["EVENTLOOM_DATABASE_URL": scratch.libpqURL, "EVENTLOOM_LOG_LEVEL": "warning"]
        let projections = try BenchChild(name: "project", arguments: ["project", "--only", "sessions"], environment: environment)
        do {
            try await project(projections)
            try await erase(projections)
        } catch {
            await projections.stop()
            throw error
        }
        await projections.stop()
    }

    private func load() async throws {
        try await scratch.withClient { client in
            let store = EventStore(client: client, logger: logger, keyring: BenchMasterKey.keyring)
            let load = SessionLoad(store: store, tenant: Self.tenant, sessions: 2 * sessionsPerSubject,
                                   messagesPerSession: Self.eventsPerSession - 1, owners: 2)
            let (written, duration) = try await load.run { _ in }
            _ = try await client.query("ANALYZE events", logger: logger)
            print(String(format: "load:      %d events (2 subjects, %d sessions each) in %.0f s, sealed",
                         written, sessionsPerSubject, duration.seconds))
        }
    }

    /// Builds the sessions read model from the loaded log.
    private func project(_ child: BenchChild) async throws {
        let took = try await scratch.withClient { client in try await SessionsRebuild.run(child, client: client, logger: logger) }
        print(String(format: "project:   sessions read model built in %.0f s", took.seconds))
    }

    private func erase(_ child: BenchChild) async throws {
        try await scratch.withClient { client in
            try await scratch.withClient { otherClient in
                let store = EventStore(client: client, logger: logger, keyring: BenchMasterKey.keyring)
                let other = EventStore(client: otherClient, logger: logger, keyring: BenchMasterKey.keyring)
                try await withThrowingTaskGroup(of: Void.self) { services in
                    services.addTask { await other.listener.run() }
                    defer { services.cancelAll() }
                    try await measure(store, other: other, client: client, child: child)
                }
            }
        }
    }

    private func measure(_ store: EventStore, other: EventStore, client: PostgresClient, child: BenchChild) async throws {
        let sample = Session.stream("s0")
        let kept = Session.stream("s1")
        guard try await isPlain(sample, store), try await isPlain(sample, other) else {
            throw CommandFailure("the subject's messages do not read in clear before the erasure")
        }
        try await Task.sleep(for: .milliseconds(500))   // the other store's LISTEN is up
        let start = ContinuousClock.now
        let outcome = try await CommandHandler(store: store, decider: DataSubject.self).erase(
            .erase(subjectID: Self.erased, reason: "bench", at: Date()), tenant: Self.tenant)
        let committed = start.duration(to: .now)
        guard outcome.append != nil else { throw CommandFailure("the erasure wrote nothing") }
        let here = try await until(start) { try await !isPlain(sample, store) }
        let elsewhere = try await until(start) { try await !isPlain(sample, other) }
        let readModel = try await until(start) {
            try child.checkRunning()
            return try await plaintextRows(client) == 0
        }
        guard try await isPlain(kept, store) else { throw CommandFailure("the kept subject no longer reads in clear") }
        print(String(format: "erase:     SubjectErased and the key's destruction committed in %.3f s", committed.seconds))
        print(String(format: "unreadable: this process's log reads %.3f s, another store's (by notification) %.3f s, "
                     + "the sessions read model (%d messages blanked) %.3f s", here.seconds, elsewhere.seconds,
                     sessionsPerSubject * (Self.eventsPerSession - 1), readModel.seconds))
        print(String(format: "everywhere: %.3f s for %d events of the subject (goal: at most 10 s)",
                     max(here, elsewhere, readModel).seconds, sessionsPerSubject * Self.eventsPerSession))
    }

    /// Whether the last message of `stream` reads in clear through `store`.
    private func isPlain(_ stream: String, _ store: EventStore) async throws -> Bool {
        let last = try await store.revealPersonalData(
            try await store.readStream(tenant: Self.tenant, stream: stream, direction: .backwards, limit: 1))
        return last.first.map { !$0.data.contains(EventStore.erasedText) } ?? false
    }

    private func plaintextRows(_ client: PostgresClient) async throws -> Int64 {
        for try await count in try await client.query("""
            SELECT count(*)::int8 FROM projection_sessions.session_messages
             WHERE tenant_id = \(Self.tenant) AND owner_id = \(Self.erased) AND content <> \(EventStore.erasedText)
            """, logger: logger).decode(Int64.self) {
            return count
        }
        return -1
    }

    /// The time from `start` until `condition` holds (checked every 5 ms, for at most 120 s).
    private func until(_ start: ContinuousClock.Instant, _ condition: () async throws -> Bool) async throws -> Duration {
        while try await !condition() {
            guard start.duration(to: .now) < .seconds(120) else { throw CommandFailure("not erased within 120 s") }
            try await Task.sleep(for: .milliseconds(5))
        }
        return start.duration(to: .now)
    }
}
