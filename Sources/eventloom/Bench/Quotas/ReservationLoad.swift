/// wrk POSTing reservations: each request a new request id, on the budget `budgetExpression`
/// (Lua) picks.
struct ReservationLoad: Sendable {
    let baseURL: String
    let key: String
    let connections: Int

    func run(_ name: String, budgetExpression: String, seconds: Int) async throws -> WrkRun.Result {
        try await WrkRun(baseURL: baseURL, connections: connections).run(seconds: seconds, request: """
              local budget = \(budgetExpression)
              local body = '{"request_id":"\(name)-' .. tid .. '-' .. counter .. '","model":"m1","prompt_tokens":50,"max_completion_tokens":50}'
              return wrk.format("POST", "/v1/budgets/" .. budget .. "/reservations",
                { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer \(key)" }, body)
            """)
    }
}
