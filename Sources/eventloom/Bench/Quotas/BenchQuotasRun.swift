import Domain
import EventStore
import Foundation
import Logging

/// One `bench quotas` run: the server as a child process, wrk as the clients.
struct BenchQuotasRun {
    let bench: BenchQuotas
    let scratch: ScratchDatabase
    let logger: Logger
    /// Tokens one benchmark reservation holds (50 prompt + 50 completion).
    static let tokensPerReservation: Int64 = 100
    static let tightGrants = 1_000

    func run() async throws {
        let limit = try await PhysicalLimit(load: AppendLoad(writers: bench.clients, events: bench.clients * 500, batch: 1),
                                            scratch: scratch, logger: logger).measure()
        print(limit.report)
        let (server, http, _, adminKey) = try BenchHTTP.startServer(environment: [
            "EVENTLOOM_DATABASE_URL": scratch.libpqURL, "EVENTLOOM_LOG_LEVEL": "warning"])
        do {
            try await measure(server, http: http, key: adminKey, limit: limit)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        try await scratch.withClient { client in
            try await ColdStartRun(store: EventStore(client: client, logger: logger), events: bench.events, logger: logger).run()
        }
    }

    private func measure(_ server: BenchChild, http: BenchHTTP, key: String, limit: PhysicalLimit.Result) async throws {
        try await http.waitUntilUp(server)
        try await http.send("PUT", "/v1/models/m1/price", key: key, body: #"{"input_per_1k":"0.001","output_per_1k":"0.002"}"#)
        try await define(http, key, "hot", tokens: 1_000_000_000_000)
        for index in 0..<64 { try await define(http, key, "d\(index)", tokens: 1_000_000_000_000) }
        try await define(http, key, "tight", tokens: Int64(Self.tightGrants) * Self.tokensPerReservation)
        let load = ReservationLoad(baseURL: http.baseURL, key: key, connections: bench.clients)
        let cpuBefore = server.cpuSeconds
        let hot = try await load.run("hot", budgetExpression: #""hot""#, seconds: bench.seconds)
        let cpuHot = server.cpuSeconds - cpuBefore
        let distinct = try await load.run("distinct", budgetExpression: #""d" .. math.random(0, 63)"#, seconds: bench.seconds)
        print(String(format: "hot:       %.0f reservations/s on ONE budget, %d clients (p99 %@; %d other answers; server %.2f cores; goal ≥ 5000/s)",
                     hot.createdPerSecond, bench.clients, hot.p99, hot.other, cpuHot / hot.seconds))
        print(String(format: "distinct:  %.0f reservations/s on 64 budgets, %d clients (p99 %@; %d other answers)",
                     distinct.createdPerSecond, bench.clients, distinct.p99, distinct.other))
        print(String(format: "ratio:     hot %.2f× distinct (goal ≥ 0.5×); hot writes %.0f rows/s, %.2f× the single-row INSERT limit",
                     hot.createdPerSecond / distinct.createdPerSecond, hot.createdPerSecond * 2,
                     hot.createdPerSecond * 2 / limit.rowsPerSecond))
        let tight = try await load.run("tight", budgetExpression: #""tight""#, seconds: 3)
        let logged = try await loggedUse(of: "tight")
        let oversold = max(0, tight.created - Self.tightGrants) + Int(max(0, logged - Int64(Self.tightGrants) * Self.tokensPerReservation))
        print(String(format: "oversell:  %d granted of room for %d, %d refused, log holds %d tokens of %d: %d oversold (goal 0)",
                     tight.created, Self.tightGrants, tight.refused, logged, Int64(Self.tightGrants) * Self.tokensPerReservation, oversold))
        guard hot.other == 0, distinct.other == 0, tight.other == 0 else {
            throw CommandFailure("the server answered other than 201 or 429:\n\(server.output.suffix(2000))")
        }
    }

    private func define(_ http: BenchHTTP, _ key: String, _ id: String, tokens: Int64) async throws {
        try await http.send("POST", "/v1/budgets", key: key, body: """
            {"id":"\(id)","name":"\(id)","scope":{"kind":"tenant"},"limit":{"tokens":\(tokens)},"period":"month"}
            """)
    }

    /// Consumed and reserved tokens of budget `id`, folded from the log.
    private func loggedUse(of id: String) async throws -> Int64 {
        try await scratch.withClient { client in
            let store = EventStore(client: client, logger: logger)
            return try await store.state(of: Budget.self, tenant: "system", stream: Budget.stream(id)).state.current?.used.tokens ?? 0
        }
    }
}
