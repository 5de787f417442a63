import Domain
import EventStore
import Foundation
import Hummingbird
import PostgresNIO

/// `GET /v1/usage?group_by=model|user|key|day|budget&from=&to=&limit=`: settled usage of
/// the caller's tenant per UTC day range [from, to), grouped, top consumers first (by
/// USD charged, then tokens).
struct UsageController {
    let database: TenantDatabase
    let consistency: Consistency
    let maximumPageSize: Int
    let clock: WallClock

    struct Row: Codable, Equatable {
        let key: String
        let requests: Int64
        let promptTokens: Int64
        let completionTokens: Int64
        let cachedTokens: Int64
        let charged: AmountView
    }

    struct UsageReport: ResponseEncodable, Equatable {
        let groupBy: String
        let from: String
        let to: String
        let rows: [Row]
    }

    /// What each grouping groups by: fixed SQL, chosen by name.
    private static let groups = [
        "model": "u.model", "key": "u.key_id", "budget": "u.budget_id", "day": "u.day::text",
        "user": "coalesce(k.user_id, '')",
    ]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/usage") { request, context in try await report(request, context) }
    }

    private func report(_ request: Request, _ context: AppRequestContext) async throws -> UsageReport {
        let caller = try context.requireCaller()
        try caller.require(.reader, .admin, .auditor)
        try caller.requireTenantWide()
        let input = QueryInput(request: request)
        let groupBy = try input.string("group_by", maximumLength: 10) ?? "model"
        guard let expression = Self.groups[groupBy] else {
            throw APIError.invalid("group_by", "must be one of model, user, key, day, budget")
        }
        let to = try Self.day(input.time("to")) ?? Self.day(clock.now())!.addingTimeInterval(86_400)
        let from = try Self.day(input.time("from")) ?? to.addingTimeInterval(-30 * 86_400)
        guard from < to else { throw APIError.invalid("from", "must be before to") }
        let limit = try input.int("limit", in: 1...maximumPageSize) ?? 100
        try await consistency.wait(for: "quotas", askedBy: request)
        let rows = try await database.read(as: caller.tenant) { connection in
            var rows: [Row] = []
            let result = try await connection.query("""
                SELECT \(unescaped: expression), sum(u.requests)::int8, sum(u.prompt_tokens)::int8, sum(u.completion_tokens)::int8,
                       sum(u.cached_tokens)::int8, sum(u.charged_tokens)::int8, sum(u.charged_nano_usd)::int8
                  FROM projection_quotas.usage u
                  LEFT JOIN projection_keys.keys k ON k.tenant_id = u.tenant_id AND k.key_id = u.key_id
                 WHERE u.tenant_id = \(caller.tenant) AND u.day >= (\(from) AT TIME ZONE 'UTC')::date AND u.day < (\(to) AT TIME ZONE 'UTC')::date
                 GROUP BY 1 ORDER BY 7 DESC, 6 DESC, 1 LIMIT \(limit)
                """, logger: database.logger)
            for try await (key, requests, prompt, completion, cached, tokens, nanos)
                in result.decode((String, Int64, Int64, Int64, Int64, Int64, Int64).self) {
                rows.append(Row(key: key, requests: requests, promptTokens: prompt, completionTokens: completion,
                                cachedTokens: cached, charged: AmountView(Amount(tokens: tokens, nanoUSD: nanos))))
            }
            return rows
        }
        return UsageReport(groupBy: groupBy, from: String(APITime.text(from).prefix(10)), to: String(APITime.text(to).prefix(10)), rows: rows)
    }

    /// The start of the UTC day holding `instant`.
    private static func day(_ instant: Date?) -> Date? {
        instant.map { Date(timeIntervalSince1970: ($0.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400) }
    }
}
