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
    /// Sessions and messages of `tenant` that match `query`, best first: English words by
    /// their stems (full text), any other text (Chinese, Japanese, parts of words) as a
    /// substring (trigram index). A title match counts double; a substring match adds 0.1.
    func search(tenant: String, owner: String?, query: String, limit: Int) async throws -> [SearchHit] {
        let pattern = "%" + Self.escapeLike(query) + "%"
        return try await database.read(as: tenant) { connection in
            let rows = try await connection.query("""
                WITH q AS (SELECT websearch_to_tsquery('english', \(query)) AS tsq),
                hits AS (
                    SELECT m.session_id, m.message_id, m.content AS text,
                           ts_rank(to_tsvector('english', m.content), q.tsq)
                             + CASE WHEN m.content ILIKE \(pattern) THEN 0.1 ELSE 0 END AS rank
                      FROM projection_sessions.session_messages m, q
                     WHERE m.tenant_id = \(tenant)
                       AND (to_tsvector('english', m.content) @@ q.tsq OR m.content ILIKE \(pattern))
                    UNION ALL
                    SELECT s.session_id, NULL, s.title,
                           2 * (ts_rank(to_tsvector('english', s.title), q.tsq)
                                + CASE WHEN s.title ILIKE \(pattern) THEN 0.1 ELSE 0 END)
                      FROM projection_sessions.sessions s, q
                     WHERE s.tenant_id = \(tenant)
                       AND (to_tsvector('english', s.title) @@ q.tsq OR s.title ILIKE \(pattern))
                )
                SELECT h.session_id, s.title, h.message_id, h.text, h.rank::float8
                  FROM hits h JOIN projection_sessions.sessions s ON s.tenant_id = \(tenant) AND s.session_id = h.session_id
                 WHERE NOT s.deleted AND (\(owner)::text IS NULL OR s.owner_id = \(owner))
                 ORDER BY h.rank DESC, h.session_id, h.message_id NULLS FIRST LIMIT \(limit)
                """, logger: database.logger)
            var hits: [SearchHit] = []
            for try await (session, title, message, text, rank) in rows.decode((String, String, String?, String, Double).self) {
                hits.append(SearchHit(sessionId: session, title: title, messageId: message,
                                      snippet: Self.snippet(text, around: query), rank: rank))
            }
            return hits
        }
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
