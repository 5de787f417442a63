import Foundation

/// The four wrk runs of `bench sessions`: list, search in one owner's sessions, search in the
/// whole tenant, append.
struct SessionQueryLoad {
    let baseURL: String
    let key: String
    let bench: BenchSessions
    let limit: PhysicalLimit.Result

    func run(_ server: BenchChild) async throws {
        let wrk = WrkRun(baseURL: baseURL, connections: bench.clients)
        let auth = #"{ ["Authorization"] = "Bearer \#(key)" }"#
        var cpu = HostCPU.now()
        let list = try await wrk.run(seconds: bench.seconds, request: """
              return wrk.format("GET", "/v1/sessions?limit=20&owner=u" .. math.random(0, \(bench.owners - 1)), \(auth))
            """)
        report("list", list, what: "pages of 20 sessions of a random owner", goal: "p99 ≤ 20 ms", steal: stolen(since: &cpu))
        var corpus = SessionCorpus(seed: 42)
        let queries = (0..<500).map { _ in "\"" + Self.percentEncoded(corpus.query()) + "\"" }.joined(separator: ",")
        let ownSearch = try await wrk.run(seconds: bench.seconds, request: """
              local queries = {\(queries)}
              return wrk.format("GET", "/v1/sessions/search?limit=20&owner=u" .. math.random(0, \(bench.owners - 1))
                .. "&q=" .. queries[math.random(1, #queries)], \(auth))
            """)
        report("search", ownSearch, what: "searches of one random owner's sessions (a word or a Chinese phrase)",
               goal: "p99 ≤ 100 ms", steal: stolen(since: &cpu))
        let search = try await wrk.run(seconds: bench.seconds, request: """
              local queries = {\(queries)}
              return wrk.format("GET", "/v1/sessions/search?limit=20&q=" .. queries[math.random(1, #queries)], \(auth))
            """)
        report("search", search, what: "searches of the whole tenant (same queries)", goal: "p99 ≤ 100 ms",
               steal: stolen(since: &cpu))
        let cpuBefore = server.cpuSeconds
        let append = try await WrkRun(baseURL: baseURL, connections: bench.writers).run(seconds: bench.seconds, request: """
              local body = '{"role":"user","content":"bench message ' .. tid .. '-' .. counter .. ' about renlo and 故宫"}'
              return wrk.format("POST", "/v1/sessions/s" .. math.random(0, \(bench.sessions - 1)) .. "/messages",
                { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer \(key)" }, body)
            """)
        let cores = (server.cpuSeconds - cpuBefore) / append.seconds
        print(String(format: "append:    %.0f messages/s on random sessions, %d clients (p50 %@, p99 %@; %d other answers; server %.2f cores; host steal %@)",
                     append.createdPerSecond, bench.writers, append.p50, append.p99, append.other, cores, HostCPU.text(stolen(since: &cpu))))
        print(String(format: "ratio:     append %.2f× the single-row INSERT limit (%.0f rows/s)",
                     append.createdPerSecond / limit.rowsPerSecond, limit.rowsPerSecond))
        guard list.other == 0, ownSearch.other == 0, search.other == 0, append.other == 0 else {
            throw CommandFailure("the server answered with errors:\n\(server.output.suffix(2000))")
        }
    }

    private func report(_ name: String, _ result: WrkRun.Result, what: String, goal: String, steal: Double?) {
        print(String(format: "%@ %.0f %@/s, %d clients: p50 %@, p99 %@ (goal %@; %d other answers; host steal %@)",
                     (name + ":").padding(toLength: 10, withPad: " ", startingAt: 0), result.answeredPerSecond, what,
                     bench.clients, result.p50, result.p99, goal, result.other, HostCPU.text(steal)))
    }

    /// The host's steal time since `cpu`, which then moves on to now.
    private func stolen(since cpu: inout HostCPU) -> Double? {
        let now = HostCPU.now()
        defer { cpu = now }
        return now.stealPercent(since: cpu)
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
