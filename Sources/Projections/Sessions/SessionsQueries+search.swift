import Domain
import EventStore
import Foundation
import PostgresNIO

extension SessionsQueries {
    /// How a query is matched: English words by their stems (full text), or, for text with
    /// Chinese, Japanese or Korean characters and for queries full text finds no word in,
    /// as a case-insensitive substring (trigram index).
    public enum SearchKind: Sendable, Equatable {
        case words
        case substring

        public init(_ query: String) {
            self = query.unicodeScalars.contains(where: TokenEstimate.isCJK) ? .substring : .words
        }
    }

    /// Sessions and messages of `tenant` that match `query`, best first; a title counts double.
    public func search(tenant: String, owner: String?, query: String, limit: Int) async throws -> [SearchRow] {
        var kind = SearchKind(query)
        if kind == .words, try await !hasWords(query) { kind = .substring }
        let sql = kind == .words ? wordsQuery(tenant, owner, query, limit) : substringQuery(tenant, owner, query, limit)
        var hits: [SearchRow] = []
        for row in try await connection.queryUnlessClosed(sql, logger: logger) {
            let hit = try row.decode((String, String, String?, String, Double).self)
            hits.append(SearchRow(sessionID: hit.0, title: hit.1, messageID: hit.2, text: hit.3, rank: hit.4))
        }
        return hits
    }

    /// Whether full text finds a word to look for in `query` (not only stop words or signs).
    private func hasWords(_ query: String) async throws -> Bool {
        let rows = try await connection.queryUnlessClosed("SELECT numnode(websearch_to_tsquery('english', \(query))) > 0", logger: logger)
        return try rows.first?.decode(Bool.self) ?? false
    }

    /// Ranked by `ts_rank` on the stored stems. In both queries ties go to the newest
    /// message (a title: the session's last activity), and every filter is on the hit's own
    /// row: only the page's sessions are looked up, for their titles.
    private func wordsQuery(_ tenant: String, _ owner: String?, _ query: String, _ limit: Int) -> PostgresQuery {
        """
        WITH hits AS (
            SELECT m.session_id, m.message_id, m.content AS text, ts_rank(m.words, websearch_to_tsquery('english', \(query))) AS rank,
                   m.created_at AS at
              FROM projection_sessions.session_messages m
             WHERE m.tenant_id = \(tenant) AND m.words @@ websearch_to_tsquery('english', \(query))
               AND NOT m.session_deleted AND (\(owner)::text IS NULL OR m.owner_id = \(owner))
            UNION ALL
            SELECT s.session_id, NULL, s.title, 2 * ts_rank(s.title_words, websearch_to_tsquery('english', \(query))), s.last_activity_at
              FROM projection_sessions.sessions s
             WHERE s.tenant_id = \(tenant) AND s.title_words @@ websearch_to_tsquery('english', \(query))
               AND NOT s.deleted AND (\(owner)::text IS NULL OR s.owner_id = \(owner))
        ), best AS (
            SELECT * FROM hits ORDER BY rank DESC, at DESC, session_id, message_id NULLS FIRST LIMIT \(limit)
        )
        SELECT b.session_id, s.title, b.message_id, b.text, b.rank::float8
          FROM best b JOIN projection_sessions.sessions s ON s.tenant_id = \(tenant) AND s.session_id = b.session_id
         ORDER BY b.rank DESC, b.at DESC, b.session_id, b.message_id NULLS FIRST
        """
    }

    /// Every substring match ranks 1 (a title 2).
    private func substringQuery(_ tenant: String, _ owner: String?, _ query: String, _ limit: Int) -> PostgresQuery {
        let pattern = "%" + Self.escapeLike(query) + "%"
        return """
            WITH hits AS (
                SELECT m.session_id, m.message_id, m.content AS text, 1.0::float8 AS rank, m.created_at AS at
                  FROM projection_sessions.session_messages m
                 WHERE m.tenant_id = \(tenant) AND m.content ILIKE \(pattern)
                   AND NOT m.session_deleted AND (\(owner)::text IS NULL OR m.owner_id = \(owner))
                UNION ALL
                SELECT s.session_id, NULL, s.title, 2.0::float8, s.last_activity_at
                  FROM projection_sessions.sessions s
                 WHERE s.tenant_id = \(tenant) AND s.title ILIKE \(pattern)
                   AND NOT s.deleted AND (\(owner)::text IS NULL OR s.owner_id = \(owner))
            ), best AS (
                SELECT * FROM hits ORDER BY rank DESC, at DESC, session_id, message_id NULLS FIRST LIMIT \(limit)
            )
            SELECT b.session_id, s.title, b.message_id, b.text, b.rank::float8
              FROM best b JOIN projection_sessions.sessions s ON s.tenant_id = \(tenant) AND s.session_id = b.session_id
             ORDER BY b.rank DESC, b.at DESC, b.session_id, b.message_id NULLS FIRST
            """
    }

    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
