import Foundation
import Logging

/// One `bench locks` run: the server as a child process, HTTP clients in this process.
struct BenchLocksRun {
    let bench: BenchLocks
    let scratch: ScratchDatabase
    let logger: Logger

    func run() async throws {
        let limit = try await PhysicalLimit(load: AppendLoad(writers: bench.contenders, events: bench.contenders * 500, batch: 1),
                                            scratch: scratch, logger: logger).measure()
        print(limit.report)
        let (server, http, _, adminKey) = try BenchHTTP.startServer(environment: [
            "EVENTLOOM_DATABASE_URL": scratch.libpqURL, "EVENTLOOM_LOG_LEVEL": "warning"])
        let client = LockCycles.client(for: bench.contenders)
        do {
            try await http.waitUntilUp(server)
            try await measure(LockCycles(baseURL: http.baseURL, key: adminKey, clients: bench.contenders, http: client),
                              server: server, limit: limit)
        } catch {
            try? await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
    }

    private func measure(_ load: LockCycles, server: BenchChild, limit: PhysicalLimit.Result) async throws {
        let cpuBefore = server.cpuSeconds
        let hot = try await load.run(seconds: bench.seconds, waitMs: 30_000) { _ in "hot" }
        let cpuHot = server.cpuSeconds - cpuBefore
        let distinct = try await load.run(seconds: bench.seconds, waitMs: 0) { "distinct-\($0)" }
        let failures = hot.failures + distinct.failures
        guard failures.isEmpty else { throw CommandFailure("clients failed:\n\(failures.prefix(20).joined(separator: "\n"))") }
        let tokens = hot.granted["hot"].map { $0.keys.sorted() } ?? []
        let handovers = hot.handovers
        print(String(format: "hot:       %.0f acquire→release cycles/s on ONE resource, %d contenders (server %.2f cores)",
                     hot.cyclesPerSecond, bench.contenders, cpuHot / hot.seconds))
        print(String(format: "distinct:  %.0f cycles/s on %d resources, one client each",
                     distinct.cyclesPerSecond, bench.contenders))
        print(String(format: "ratio:     hot %.2f× distinct (goal ≥ 0.5×); distinct appends %.0f events/s, %.2f× the single-row INSERT limit",
                     hot.cyclesPerSecond / distinct.cyclesPerSecond, distinct.cyclesPerSecond * 2,
                     distinct.cyclesPerSecond * 2 / limit.rowsPerSecond))
        print(String(format: "handover:  release sent → next waiter's grant received: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d hand-overs (goal p99 ≤ 20 ms)",
                     Self.percentile(handovers, 0.50), Self.percentile(handovers, 0.99), handovers.last ?? 0, handovers.count))
        let inOrder = tokens == Array(1...Int64(max(1, tokens.count))) && tokens.count == hot.cycles
        print("fencing:   \(tokens.count) grants of the hot resource, tokens \(tokens.first ?? 0)…\(tokens.last ?? 0), "
              + (inOrder ? "each once and in order" : "NOT each once in order"))
        guard inOrder else { throw CommandFailure("the hot resource's fencing tokens were not granted once each, in order") }
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }
}
