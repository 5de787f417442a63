import Domain
import Foundation
import Projections

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

extension SearchHit {
    init(_ record: SearchRow, query: String) {
        self.init(sessionId: record.sessionID, title: record.title, messageId: record.messageID,
                  snippet: Self.snippet(record.text, around: query), rank: record.rank)
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
