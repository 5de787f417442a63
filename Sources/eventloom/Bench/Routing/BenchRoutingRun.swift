import AsyncHTTPClient
import Domain
import Foundation
import Logging

/// One `bench routing` run: two servers as child processes on one scratch database, HTTP
/// clients (wrk and this process) against them.
struct BenchRoutingRun {
    let bench: BenchRouting
    let scratch: ScratchDatabase
    let logger: Logger

    /// Channels routing picks among: 8 in the upper tier, 8 below, weights 1-8.
    static let routedChannels = 16
    /// Outcomes per report.
    static let perReport = 100

    func run() async throws {
        let limit = try await PhysicalLimit(load: AppendLoad(writers: bench.reporters, events: bench.reporters * 500, batch: 1),
                                            scratch: scratch, logger: logger).measure()
        print(limit.report)
        let environment = ["EVENTLOOM_DATABASE_URL": scratch.libpqURL, "EVENTLOOM_LOG_LEVEL": "warning"]
        let (first, http, _, adminKey) = try BenchHTTP.startServer(environment: environment)
        let port = try BenchHTTP.freePort()
        let second = try BenchChild(name: "serve-2", arguments: ["serve"], environment: environment.merging([
            "EVENTLOOM_HTTP_ADDR": "127.0.0.1:\(port)", "EVENTLOOM_ADMIN_KEY": adminKey]) { $1 })
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(connectionPool: .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: bench.reporters * 2 + 4)))
        do {
            try await http.waitUntilUp(first)
            try await BenchHTTP(baseURL: "http://127.0.0.1:\(port)").waitUntilUp(second)
            let a = RoutingClient(baseURL: http.baseURL, key: adminKey, http: client)
            let b = RoutingClient(baseURL: "http://127.0.0.1:\(port)", key: adminKey, http: client)
            try await setUp(a, b)
            try await measureRouting(a, server: first)
            try await measureIngestion(a, limit: limit, server: first)
            try await measureTrips(a, b)
        } catch {
            try? await client.shutdown()
            await first.stop()
            await second.stop()
            throw error
        }
        try await client.shutdown()
        await first.stop()
        await second.stop()
    }

    /// The routed channels, one channel per reporter, and per trip a channel of its own model
    /// with one backup serving every trip model below it; both servers' read models hold them.
    private func setUp(_ a: RoutingClient, _ b: RoutingClient) async throws {
        func create(_ id: String, models: [String], priority: Int, weight: Int = 1) async throws -> String {
            let names = models.map { #"{"name":"\#($0)"}"# }.joined(separator: ",")
            try await a.must(.POST, "/v1/channels", #"{"id":"\#(id)","provider":"openai","base_url":"https://upstream.example/v1","models":[\#(names)],"priority":\#(priority),"weight":\#(weight),"breaker":{"minimum_calls":4,"cooldown_ms":600000,"maximum_cooldown_ms":600000}}"#)
            let added = try await a.must(.POST, "/v1/channels/\(id)/keys", #"{"key_id":"k1","secret_ref":"env:UPSTREAM_KEY"}"#)
            return added["position"] as? String ?? ""
        }
        for index in 0..<Self.routedChannels {
            _ = try await create("route-\(index)", models: ["gpt-4o"], priority: index < 8 ? 10 : 0, weight: index % 8 + 1)
        }
        for index in 0..<bench.reporters { _ = try await create("ingest-\(index)", models: ["ingest"], priority: 0) }
        for index in 0..<bench.trips { _ = try await create("trip-\(index)", models: ["trip-\(index)"], priority: 10) }
        let last = try await create("trip-backup", models: (0..<bench.trips).map { "trip-\($0)" }, priority: 0)
        try await a.waitForReadModel(last)
        try await b.waitForReadModel(last)
        print("setup:     \(Self.routedChannels) routed channels in 2 tiers, \(bench.reporters) reported, \(bench.trips + 1) for trips")
    }

    /// POST /v1/route under wrk, between two runs of GET /healthz.
    private func measureRouting(_ a: RoutingClient, server: BenchChild) async throws {
        let wrk = WrkRun(baseURL: a.baseURL, connections: bench.connections)
        let trivial = #"return wrk.format("GET", "/healthz")"#
        let route = #"return wrk.format("POST", "/v1/route", {["Authorization"] = "Bearer \#(a.key)", ["Content-Type"] = "application/json"}, '{"model":"gpt-4o"}')"#
        let before = try await wrk.run(seconds: bench.seconds, request: trivial)
        let cpu = server.cpuSeconds
        let routed = try await wrk.run(seconds: bench.seconds, request: route)
        let routedCPU = (server.cpuSeconds - cpu) / routed.seconds
        let after = try await wrk.run(seconds: bench.seconds, request: trivial)
        guard routed.other == 0, routed.refused == 0 else {
            throw CommandFailure("POST /v1/route answered \(routed.other + routed.refused) requests with an error")
        }
        let limit = max(before.answeredPerSecond, after.answeredPerSecond)
        print(String(format: "trivial:   GET /healthz %.0f and %.0f requests/s before and after (wrk, %d connections)",
                     before.answeredPerSecond, after.answeredPerSecond, bench.connections))
        print(String(format: "routing:   %.0f decisions/s, p50 %@, p99 %@ (server %.2f cores): %.2f× the trivial route (goal ≥ 0.5×, p99 ≤ 5 ms)",
                     routed.answeredPerSecond, routed.p50, routed.p99, routedCPU, routed.answeredPerSecond / limit))
        try await measureLimitedRouting(a, wrk: wrk, trivial: limit)
    }

    /// POST /v1/route under rate limits that never refuse, so that every answer is a decision:
    /// first a model's rpm and tpm (admitted from this process's blocks), then also a user's
    /// requests at once (a lease per route, each its own request, held for a second).
    private func measureLimitedRouting(_ a: RoutingClient, wrk: WrkRun, trivial: Double) async throws {
        let headers = #"{["Authorization"] = "Bearer \#(a.key)", ["Content-Type"] = "application/json"}"#
        let huge = RateLimit.range.upperBound
        try await a.must(.PUT, "/v1/rate-limits/model/gpt-4o", #"{"rpm":\#(huge),"tpm":\#(huge)}"#)
        try await waitUntilLimited(a, #"{"model":"gpt-4o"}"#)
        let rates = try await wrk.run(seconds: bench.seconds, request: """
            return wrk.format("POST", "/v1/route", \(headers), '{"model":"gpt-4o","tokens":1000}')
            """)
        try await a.must(.PUT, "/v1/rate-limits/user/bench", #"{"tpm":\#(huge),"concurrent":1000000}"#)
        try await waitUntilLimited(a, #"{"model":"gpt-4o","user_id":"bench"}"#)
        let leased = try await wrk.run(seconds: bench.seconds, request: """
            return wrk.format("POST", "/v1/route", \(headers),
              '{"model":"gpt-4o","tokens":1000,"user_id":"bench","lease_seconds":1,"request_id":"b' .. tid .. '-' .. counter .. '"}')
            """)
        for (label, run) in [("rpm and tpm limits", rates), ("rpm and tpm limits and requests at once", leased)] {
            guard run.other == 0, run.refused == 0 else {
                throw CommandFailure("POST /v1/route under \(label) answered \(run.other + run.refused) requests with an error")
            }
            print(String(format: "limited:   %.0f decisions/s under %@, p50 %@, p99 %@: %.2f× the trivial route",
                         run.answeredPerSecond, label, run.p50, run.p99, run.answeredPerSecond / trivial))
        }
    }

    /// Waits until a route of `body` (naming no tokens) is refused for want of them: the
    /// server's read model has the tpm limit just set.
    private func waitUntilLimited(_ a: RoutingClient, _ body: String) async throws {
        for _ in 0..<500 {
            if try await a.client.send(.POST, "/v1/route", body, expecting: [200, 400]).status == 400 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CommandFailure("the server did not apply the rate limit set")
    }

    /// Reports of ``perReport`` outcomes from ``BenchRouting/reporters`` clients: each to its
    /// own channel; then all to one fresh channel; then all to one channel whose memory of
    /// request ids is full (``RecentRequests/defaultCapacity``).
    private func measureIngestion(_ a: RoutingClient, limit: PhysicalLimit.Result, server: BenchChild) async throws {
        func measured(_ label: String, channel: @escaping @Sendable (Int) -> String) async throws {
            let cpu = server.cpuSeconds
            let started = ContinuousClock.now
            let deadline = started + .seconds(bench.seconds)
            let recorded = try await post(a, channel: channel, tag: label, perReport: Self.perReport,
                                          until: { _ in ContinuousClock.now >= deadline })
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Double(recorded) / seconds
            print(String(format: "outcomes:  %.0f outcomes/s (%.0f reports/s of %d, %d clients) %@ (server %.2f cores): %.2f× the single-row INSERT limit",
                         rate, rate / Double(Self.perReport), Self.perReport, bench.reporters, label, (server.cpuSeconds - cpu) / seconds,
                         rate / limit.rowsPerSecond))
        }
        try await measured("each to its own channel") { "ingest-\($0)" }
        try await measured("all to one fresh channel") { _ in "ingest-0" }
        let capacity = RecentRequests.defaultCapacity
        _ = try await post(a, channel: { _ in "ingest-1" }, tag: "fill", perReport: 1_000, until: { $0 >= capacity })
        try await measured("all to one channel remembering \(capacity) request ids") { _ in "ingest-1" }
    }

    /// Reports from ``BenchRouting/reporters`` clients to `channel(client)` until
    /// `done(about the outcomes recorded so far)`; the outcomes recorded.
    private func post(_ a: RoutingClient, channel: @escaping @Sendable (Int) -> String, tag: String, perReport: Int,
                      until done: @escaping @Sendable (Int) -> Bool) async throws -> Int {
        let reporters = bench.reporters
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for reporter in 0..<reporters {
                group.addTask {
                    var report = 0
                    var total = 0
                    // Each client's share times the clients: about the total, without sharing a counter.
                    while !done(total * reporters) {
                        report += 1
                        let outcomes = (0..<perReport).map {
                            #"{"channel_id":"\#(channel(reporter))","request_id":"\#(tag)-\#(reporter)-\#(report)-\#($0)","key_id":"k1","model":"ingest","status":200,"latency_ms":\#(200 + $0 % 100),"tokens":500}"#
                        }
                        let answer = try await a.must(.POST, "/v1/channels/outcomes", #"{"outcomes":[\#(outcomes.joined(separator: ","))]}"#)
                        total += answer["recorded"] as? Int ?? 0
                    }
                    return total
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// Trips reported to the first server; the second routes elsewhere once it has read them.
    private func measureTrips(_ a: RoutingClient, _ b: RoutingClient) async throws {
        var latencies: [Double] = []
        for index in 0..<bench.trips {
            let model = "trip-\(index)"
            guard try await b.routedChannel(model: model) == model else {
                throw CommandFailure("the second server does not route \(model) to its channel before the trip")
            }
            let failures = (0..<4).map {
                #"{"channel_id":"\#(model)","request_id":"\#(model)-\#($0)","key_id":"k1","model":"\#(model)","status":503,"latency_ms":900}"#
            }
            let answer = try await a.must(.POST, "/v1/channels/outcomes", #"{"outcomes":[\#(failures.joined(separator: ","))]}"#)
            guard (answer["transitions"] as? [[String: Any]])?.contains(where: { $0["type"] as? String == "ChannelTripped" }) == true else {
                throw CommandFailure("four failures did not trip \(model): \(answer)")
            }
            let tripped = ContinuousClock.now
            while true {
                let routed = try await b.routedChannel(model: model)
                if routed != model {
                    guard routed == "trip-backup" else { throw CommandFailure("after the trip, \(model) was routed to \(routed ?? "nothing")") }
                    break
                }
                guard ContinuousClock.now - tripped < .seconds(30) else { throw CommandFailure("the second server still routes to \(model) after 30 s") }
            }
            let waited = ContinuousClock.now - tripped
            latencies.append(Double(waited.components.seconds) * 1_000 + Double(waited.components.attoseconds) / 1e15)
        }
        latencies.sort()
        print(String(format: "honoured:  trip answered by one process → the other routes elsewhere: p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d trips (goal p99 ≤ 100 ms)",
                     BenchLocksRun.percentile(latencies, 0.5), BenchLocksRun.percentile(latencies, 0.99), latencies.last ?? 0, latencies.count))
    }
}
