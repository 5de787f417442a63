import EventStore
import Foundation
import Logging
import Projections

/// One `bench sessions` run: load, project, then serve and measure with wrk.
struct BenchSessionsRun {
    let bench: BenchSessions
    let scratch: ScratchDatabase
    let logger: Logger
    /// The admin key's tenant: the sessions are loaded there.
    static let tenant = "system"

    func run() async throws {
        let limit = try await PhysicalLimit(load: AppendLoad(writers: bench.writers, events: bench.writers * 500, batch: 1),
                                            scratch: scratch, logger: logger).measure()
        print(limit.report)
        try await load()
        let environment = ["EVENTLOOM_DATABASE_URL": scratch.libpqURL, "EVENTLOOM_LOG_LEVEL": "warning"]
        let projections = try BenchChild(name: "project", arguments: ["project", "--only", "sessions"], environment: environment)
        do {
            try await project(projections)
            try await serveAndMeasure(environment: environment, limit: limit)
        } catch {
            await projections.stop()
            throw error
        }
        await projections.stop()
    }

    private func load() async throws {
        let perSession = bench.messages / bench.sessions
        try await scratch.withClient { client in
            let load = SessionLoad(store: EventStore(client: client, logger: logger, keyring: BenchMasterKey.keyring), tenant: Self.tenant, sessions: bench.sessions,
                                   messagesPerSession: perSession, owners: bench.owners)
            let total = bench.sessions * (perSession + 1)
            let (events, duration) = try await load.run { done in
                if done % 200_000 < 1_100 { print("load:      \(done) of \(total) events") }
            }
            _ = try await client.query("ANALYZE events", logger: logger)
            print(String(format: "load:      %d events (%d sessions, %d messages) in %.0f s: %.0f events/s",
                         events, bench.sessions, bench.sessions * perSession, duration.seconds, Double(events) / duration.seconds))
        }
    }

    /// Builds the sessions read model from the loaded log (`SessionsRebuild`).
    private func project(_ child: BenchChild) async throws {
        try await scratch.withClient { client in
            let duration = try await SessionsRebuild.run(child, client: client, logger: logger)
            // What autovacuum does within a minute or so of a bulk load, done now.
            _ = try await client.queryUnlessClosed(SessionsQueries.analyze, logger: logger)
            print(String(format: "project:   sessions read model built from %d events in %.0f s (%.0f events/s, indexes included)",
                         bench.sessions * (bench.messages / bench.sessions + 1), duration.seconds,
                         Double(bench.sessions * (bench.messages / bench.sessions + 1)) / duration.seconds))
        }
    }

    private func serveAndMeasure(environment: [String: String], limit: PhysicalLimit.Result) async throws {
        let (server, http, _, adminKey) = try BenchHTTP.startServer(environment: environment)
        do {
            try await http.waitUntilUp(server)
            try await SessionQueryLoad(baseURL: http.baseURL, key: adminKey, bench: bench, limit: limit).run(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
