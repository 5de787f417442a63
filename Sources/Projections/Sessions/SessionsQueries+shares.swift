import EventStore
import Foundation
import PostgresNIO

extension SessionsQueries {
    static let shareColumns = """
        tenant_id, share_id, session_id, mode, message_id, expires_at, password_hash, shared_at, revoked_at, views
        """

    /// A link found by its id alone (any tenant the connection may see: the id is the link's only key).
    public func link(_ shareID: String) async throws -> ShareRow? {
        try await shares("""
            SELECT \(unescaped: Self.shareColumns) FROM projection_sessions.session_shares WHERE share_id = \(shareID)
            """).first
    }

    /// Every link of a session, oldest first.
    public func shares(tenant: String, sessionID: String) async throws -> [ShareRow] {
        try await shares("""
            SELECT \(unescaped: Self.shareColumns) FROM projection_sessions.session_shares
             WHERE tenant_id = \(tenant) AND session_id = \(sessionID) ORDER BY shared_at, share_id
            """)
    }

    private func shares(_ query: PostgresQuery) async throws -> [ShareRow] {
        var records: [ShareRow] = []
        for row in try await connection.queryUnlessClosed(query, logger: logger) {
            let row = try row.decode((String, String, String, String, String?, Date?, String?, Date, Date?, Int64).self)
            records.append(ShareRow(tenant: row.0, shareID: row.1, sessionID: row.2, mode: row.3, messageID: row.4,
                                       expiresAt: row.5, passwordHash: row.6, sharedAt: row.7, revokedAt: row.8, views: row.9))
        }
        return records
    }
}
