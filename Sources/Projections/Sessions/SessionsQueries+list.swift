import Domain
import EventStore
import Foundation
import PostgresNIO

/// The filters and page of a session listing.
public struct SessionListFilter: Sendable {
    public var owner: String?
    public var tag: String?
    /// nil: archived or not.
    public var archived: Bool? = false
    /// true: only the soft-deleted sessions (the trash); false: only the others.
    public var deleted = false
    public var after: SessionListCursor?
    public var limit = 50

    public init(limit: Int = 50) { self.limit = limit }
}

/// Where a page of sessions (newest activity first) ends: `<unix µs>_<session id>`. The
/// time stays in whole microseconds end to end (no floating point), so no row is skipped.
public struct SessionListCursor: Sendable, Equatable {
    public let micros: Int64
    public let sessionID: String

    public init(lastActivity: Date, sessionID: String) {
        self.micros = lastActivity.unixMicros
        self.sessionID = sessionID
    }

    public init?(_ text: String) {
        guard let separator = text.firstIndex(of: "_"), let micros = Int64(text[..<separator]), micros >= 0,
              micros < 253_402_300_800_000_000, case let id = String(text[text.index(after: separator)...]),
              SessionValidation.isIdentifier(id) else { return nil }
        self.micros = micros
        self.sessionID = id
    }

    public var text: String { "\(micros)_\(sessionID)" }
    /// The time as RFC 3339 text, for SQL to read exactly.
    var time: String { RFC3339.format(micros: micros) }
}

extension SessionsQueries {
    /// A page of `tenant`'s sessions, most recently active first, each with the cursor after it.
    public func list(tenant: String, _ filter: SessionListFilter) async throws -> [(record: SessionRow, cursor: SessionListCursor)] {
        let afterTime = filter.after?.time ?? "infinity"
        let afterID = filter.after?.sessionID ?? ""
        let archived: Int32 = filter.archived.map { $0 ? 1 : 0 } ?? -1
        let records = try await sessions("""
            SELECT \(unescaped: Self.sessionColumns) FROM projection_sessions.sessions
             WHERE tenant_id = \(tenant) AND (\(filter.owner)::text IS NULL OR owner_id = \(filter.owner))
               AND deleted = \(filter.deleted) AND (\(archived) = -1 OR archived = (\(archived) = 1))
               AND (\(filter.tag)::text IS NULL OR tags @> ARRAY[\(filter.tag)::text])
               AND (\(filter.after == nil) OR (last_activity_at, session_id) < (\(afterTime)::timestamptz, \(afterID)))
             ORDER BY last_activity_at DESC, session_id DESC LIMIT \(filter.limit)
            """)
        return records.map { ($0, SessionListCursor(lastActivity: $0.lastActivityAt, sessionID: $0.id)) }
    }
}
