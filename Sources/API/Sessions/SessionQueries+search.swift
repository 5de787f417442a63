import Domain
import Foundation
import PostgresNIO

/// One hit of `GET /v1/sessions/search`.
struct SearchHit: Codable, Equatable {
    let sessionId: String
    let title: String
    /// The message that matched; nil when the title did.
    let messageId: String?
    /// Up to 200 characters around the match.
    let snippet: String
    let rank: Double
}

extension SessionQueries {
    /// How a query is matched: English words by their stems (full text), or, for text with
    /// Chinese, Japanese or Korean characters and for queries full text finds no word in,
    /// as a case-insensitive substring (trigram index).
    enum SearchKind: Equatable {
        case words
        case substring

        init(_ query: String) {
            self = query.unicodeScalars.contains(where: TokenEstimate.isCJK) ? .substring : .words
        }
    }

    /// Sessions and messages of `tenant` that match `query`, best first; a title counts double.
    func search(tenant: String, owner: String?, query: String, limit: Int) async throws -> [SearchHit] {
        let hits = try await database.read(as: tenant) { connection in
            var kind = SearchKind(query)
            if kind == .words, try await !hasWords(query, on: connection) { kind = .substring }
            let sql = kind == .words ? wordsQuery(tenant, owner, query, limit) : substringQuery(tenant, owner, query, limit)
            var hits: [(String, String, String?, String, Double)] = []
            for try await hit in try await connection.query(sql, logger: database.logger).decode((String, String, String?, String, Double).self) {
                hits.append(hit)
            }
            return hits
        }
        return hits.map { SearchHit(sessionId: $0.0, title: $0.1, messageId: $0.2, snippet: Self.snippet($0.3, around: query), rank: $0.4) }
    }

    /// Whether full text finds a word to look for in `query` (not only stop words or signs).
    private func hasWords(_ query: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT numnode(websearch_to_tsquery('english', \(query))) > 0", logger: database.logger)
        for try await found in rows.decode(Bool.self) { return found }
        return false
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

    /// Up to 200 characters of `text` around the first case-insensitive occurrence of `query`
    /// (or its start).
    static func snippet(_ text: String, around query: String) -> String {
        let width = 200
        guard text.count > width else { return text }
        let start: String.Index
        if let range = text.range(of: query, options: .caseInsensitive) {
            start = text.index(range.lowerBound, offsetBy: -60, limitedBy: text.startIndex) ?? text.startIndex
        } else {
            start = text.startIndex
        }
        let end = text.index(start, offsetBy: width, limitedBy: text.endIndex) ?? text.endIndex
        return (start > text.startIndex ? "…" : "") + text[start..<end] + (end < text.endIndex ? "…" : "")
    }
}
