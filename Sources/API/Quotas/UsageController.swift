import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

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

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/usage") { request, context in try await report(request, context) }
    }

    private func report(_ request: Request, _ context: AppRequestContext) async throws -> UsageReport {
        let caller = try context.requireCaller()
        try caller.require(.reader, .admin, .auditor)
        try caller.requireTenantWide()
        let input = QueryInput(request: request)
        let groupBy = try input.string("group_by", maximumLength: 10) ?? "model"
        guard let grouping = QuotasQueries.UsageGrouping(rawValue: groupBy) else {
            throw APIError.invalid("group_by", "must be one of model, user, key, day, budget")
        }
        let to = try Self.day(input.time("to")) ?? Self.day(clock.now())!.addingTimeInterval(86_400)
        let from = try Self.day(input.time("from")) ?? to.addingTimeInterval(-30 * 86_400)
        guard from < to else { throw APIError.invalid("from", "must be before to") }
        let limit = try input.int("limit", in: 1...maximumPageSize) ?? 100
        try await consistency.wait(for: "quotas", askedBy: request)
        let records = try await database.queries(QuotasQueries.self, as: caller.tenant) {
            try await $0.usage(tenant: caller.tenant, groupedBy: grouping, from: from, to: to, limit: limit)
        }
        let rows = records.map {
            Row(key: $0.key, requests: $0.requests, promptTokens: $0.promptTokens, completionTokens: $0.completionTokens,
                cachedTokens: $0.cachedTokens, charged: AmountView($0.charged))
        }
        return UsageReport(groupBy: groupBy, from: String(APITime.text(from).prefix(10)), to: String(APITime.text(to).prefix(10)), rows: rows)
    }

    /// The start of the UTC day holding `instant`.
    private static func day(_ instant: Date?) -> Date? {
        instant.map { Date(timeIntervalSince1970: ($0.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400) }
    }
}
