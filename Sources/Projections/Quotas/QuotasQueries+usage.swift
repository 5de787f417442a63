import Domain
import EventStore
import Foundation
import PostgresNIO

extension QuotasQueries {
    /// What usage is grouped by.
    public enum UsageGrouping: String, Sendable, CaseIterable {
        case model, user, key, day, budget

        /// Fixed SQL per grouping; `user` is the key's user, from the keys read model (joined only then).
        var expression: String {
            switch self {
            case .model: "u.model"
            case .key: "u.key_id"
            case .budget: "u.budget_id"
            case .day: "u.day::text"
            case .user: "coalesce(k.user_id, '')"
            }
        }
    }

    /// Only the `user` grouping reads the keys read model (a key's user).
    static let keysJoin = "LEFT JOIN projection_keys.keys k ON k.tenant_id = u.tenant_id AND k.key_id = u.key_id"

    /// Settled usage of one group.
    public struct UsageRow: Sendable, Hashable {
        public let key: String
        public let requests: Int64
        public let promptTokens: Int64
        public let completionTokens: Int64
        public let cachedTokens: Int64
        public let charged: Amount
    }

    /// `tenant`'s settled usage on the UTC days in [from, to), grouped, top consumers first
    /// (by USD charged, then tokens).
    public func usage(tenant: String, groupedBy grouping: UsageGrouping, from: Date, to: Date, limit: Int) async throws
        -> [UsageRow] {
        try await connection.queryUnlessClosed("""
            SELECT \(unescaped: grouping.expression), sum(u.requests)::int8, sum(u.prompt_tokens)::int8,
                   sum(u.completion_tokens)::int8, sum(u.cached_tokens)::int8, sum(u.charged_tokens)::int8,
                   sum(u.charged_nano_usd)::int8
              FROM projection_quotas.usage u
              \(unescaped: grouping == .user ? Self.keysJoin : "")
             WHERE u.tenant_id = \(tenant) AND u.day >= (\(from) AT TIME ZONE 'UTC')::date AND u.day < (\(to) AT TIME ZONE 'UTC')::date
             GROUP BY 1 ORDER BY 7 DESC, 6 DESC, 1 LIMIT \(limit)
            """, logger: logger).map { row in
            let (key, requests, prompt, completion, cached, tokens, nanos) =
                try row.decode((String, Int64, Int64, Int64, Int64, Int64, Int64).self)
            return UsageRow(key: key, requests: requests, promptTokens: prompt, completionTokens: completion,
                               cachedTokens: cached, charged: Amount(tokens: tokens, nanoUSD: nanos))
        }
    }
}
