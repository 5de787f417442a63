import EventStore
import EventStoreTesting
import Foundation
import Logging
import Projections

/// One `bench api` run on a loaded scratch database, with its child processes.
struct BenchAPIRun {
    let bench: BenchAPI
    let scratch: ScratchDatabase
    let logger: Logger

    func run() async throws {
        _ = try await AppendLoad(writers: 4, events: bench.events, batch: 500).run(on: scratch, logger: logger)
        try await scratch.withClient { client in _ = try await client.query("ANALYZE events", logger: logger) }
        let environment = ["EVENTLOOM_DATABASE_URL": scratch.libpqURL, "EVENTLOOM_LOG_LEVEL": "warning"]
        let projections = try BenchChild(name: "project", arguments: ["project"], environment: environment)
        do {
            try await scratch.withClient { client in
                let store = EventStore(client: client, logger: logger)
                try await measure(store, projections: projections, environment: environment)
            }
        } catch {
            await projections.stop()
            throw error
        }
        await projections.stop()
    }

    private func measure(_ store: EventStore, projections: BenchChild, environment: [String: String]) async throws {
        let catalog = ProjectionCatalog(client: store.client, logger: logger)
        try await waitForCatchUp(store, catalog, projections)
        try await withThrowingTaskGroup(of: Void.self) { services in
            services.addTask { await store.notifier.run() }
            defer { services.cancelAll() }
            let fresh = try await VisibilityRun(store: store, catalog: catalog, rate: bench.rate, seconds: bench.seconds).run()
            print(String(format: "freshness: append → audit read model at %d events/s for %d s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d events; goal p99 ≤ 50 ms)",
                         bench.rate, bench.seconds, fresh.percentile(0.5), fresh.percentile(0.99),
                         fresh.latencies.last ?? 0, fresh.latencies.count))
            let held = try await measureWithForeignTransactions(store, catalog)
            print(String(format: "           the same with two transactions open 60 s that never append (one in another database, one on a table of this one): p50 %.2f ms, p99 %.2f ms, max %.2f ms: p99 %.2f× the quiet run (goal ≤ 2×)",
                         held.percentile(0.5), held.percentile(0.99), held.latencies.last ?? 0,
                         held.percentile(0.99) / max(fresh.percentile(0.99), 0.001)))
            let rebuild = try await RebuildRun(client: store.client, catalog: catalog, logger: logger).run()
            print(String(format: "limit:     %.0f rows/s, one raw SELECT * FROM events in log order (%d rows)",
                         rebuild.scanRowsPerSecond, rebuild.events))
            print(String(format: "rebuild:   %.0f events/s, audit read model from empty to swapped in (%d events; goal ≥ 100000 events/s)",
                         rebuild.rebuildEventsPerSecond, rebuild.events))
            print(String(format: "ratio:     %.2f× the raw scan", rebuild.rebuildEventsPerSecond / rebuild.scanRowsPerSecond))
            try await serveAndMeasure(store, environment: environment)
        }
    }

    private func serveAndMeasure(_ store: EventStore, environment: [String: String]) async throws {
        let (server, http, port, adminKey) = try BenchHTTP.startServer(environment: environment)
        do {
            try await http.waitUntilUp(server)
            let secret = try await http.issueKey(adminKey: adminKey, tenant: AppendLoad.tenant)
            let queries = QueryRateRun(baseURL: http.baseURL, secret: secret, connections: bench.connections,
                                       seconds: bench.seconds)
            let trivial = try await queries.measure("/healthz")
            let audit = try await queries.measure("/v1/audit?limit=50&actor=bench")
            let uncached = try await queries.measure("/v1/audit?limit=50&actor=bench", varyingAfter: true)
            print(String(format: "limit:     %.0f requests/s, GET /healthz (wrk, %d connections, p99 %@)",
                         trivial.requestsPerSecond, bench.connections, trivial.p99))
            print(String(format: "queries:   %.0f requests/s, GET /v1/audit?limit=50&actor=bench, the same page again (p99 %@)",
                         audit.requestsPerSecond, audit.p99))
            print(String(format: "ratio:     %.2f× the trivial route (goal ≥ 0.5×)", audit.requestsPerSecond / trivial.requestsPerSecond))
            print(String(format: "queries:   %.0f requests/s, each request another page (random after=; p99 %@): %.2f× the trivial route",
                         uncached.requestsPerSecond, uncached.p99, uncached.requestsPerSecond / trivial.requestsPerSecond))
            let before = server.memory.current
            let fanOut = try await FanOutRun(store: store, server: server, host: "127.0.0.1", port: port, secret: secret,
                                             clients: bench.clients, rate: bench.rate, seconds: bench.seconds).run()
            print(String(format: "fan-out:   %d SSE clients at %d events/s for %d s: delivery p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d deliveries measured on %d clients; goal p99 ≤ 100 ms)",
                         bench.clients, bench.rate, bench.seconds, fanOut.delivery.percentile(0.5),
                         fanOut.delivery.percentile(0.99), fanOut.delivery.latencies.last ?? 0,
                         fanOut.delivery.latencies.count, (bench.clients + 9) / 10))
            print(String(format: "           %d of %d clients received all %d events (fewest: %d; %d disconnected); server RSS %.0f MiB before, peak %.0f MiB (goal ≤ 300 MB)",
                         fanOut.completeClients, bench.clients, fanOut.expectedEvents, fanOut.fewestEvents,
                         fanOut.disconnectedClients, before, fanOut.peakRSS))
            print(String(format: "           CPU meanwhile: server %.2f cores, clients and appends (this process) %.2f cores, of %d; appends p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                         fanOut.serverCores, fanOut.clientCores, ProcessInfo.processInfo.activeProcessorCount,
                         fanOut.appends.percentile(0.5), fanOut.appends.percentile(0.99), fanOut.appends.latencies.last ?? 0))
            let heldFanOut = try await duringForeignTransactions {
                try await FanOutRun(store: store, server: server, host: "127.0.0.1", port: port, secret: secret,
                                    clients: bench.clients, rate: bench.rate, seconds: bench.seconds,
                                    streamPrefix: "tick-held").run()
            }
            print(String(format: "           the same with two transactions open 60 s that never append: delivery p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d of %d clients complete: p99 %.2f× the quiet run (goal ≤ 2×)",
                         heldFanOut.delivery.percentile(0.5), heldFanOut.delivery.percentile(0.99),
                         heldFanOut.delivery.latencies.last ?? 0, heldFanOut.completeClients, bench.clients,
                         heldFanOut.delivery.percentile(0.99) / max(fanOut.delivery.percentile(0.99), 0.001)))
            print(String(format: "           CPU meanwhile: server %.2f cores, clients and appends (this process) %.2f cores; appends p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                         heldFanOut.serverCores, heldFanOut.clientCores, heldFanOut.appends.percentile(0.5),
                         heldFanOut.appends.percentile(0.99), heldFanOut.appends.latencies.last ?? 0))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// The freshness run again, while two transactions that never append stay open a minute.
    private func measureWithForeignTransactions(_ store: EventStore, _ catalog: ProjectionCatalog) async throws -> LoadResult {
        try await duringForeignTransactions {
            try await VisibilityRun(store: store, catalog: catalog, rate: bench.rate, seconds: bench.seconds,
                                    streamPrefix: "load-visible-held").run()
        }
    }

    /// Runs `body` during the last `seconds` + 1 of a minute in which a transaction of
    /// another database and one that wrote a table of this database stay open (each holds
    /// a transaction id and never appends).
    func duringForeignTransactions<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let opened = ContinuousClock.now
        return try await HeldTransaction.with(url: HeldTransaction.url(scratch.libpqURL, database: "postgres"),
                                              statements: ["SELECT pg_current_xact_id()"]) { _ in
            try await HeldTransaction.with(url: scratch.libpqURL, statements: [
                "CREATE TABLE IF NOT EXISTS bench_foreign_rows (id int)", "INSERT INTO bench_foreign_rows VALUES (1)",
            ]) { _ in
                try await Task.sleep(until: opened + .seconds(max(0, 60 - bench.seconds - 1)), clock: .continuous)
                return try await body()
            }
        }
    }

    /// The projection process has built the audit read model up to the loaded log.
    private func waitForCatchUp(_ store: EventStore, _ catalog: ProjectionCatalog, _ child: BenchChild) async throws {
        let head = try await store.readableHead()
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            try child.checkRunning()
            if let status = try await catalog.status("audit"), status.rebuild == nil, status.cursor >= head { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CommandFailure("the audit projection did not catch up with the loaded log in 10 minutes")
    }
}
