import Domain
import Foundation
import PostgresNIO

/// Shared links as the sessions read model has them.
struct ShareQueries {
    let database: TenantDatabase

    /// A link found by its id alone (any tenant: the id is the link's only key).
    struct Link {
        let tenant: String
        let shareID: String
        let sessionID: String
        let mode: String
        let messageID: String?
        let expiresAt: Date?
        let passwordHash: String?
        let revoked: Bool
        let views: Int64
    }

    func link(_ shareID: String) async throws -> Link? {
        try await database.read(as: "*") { connection in
            let rows = try await connection.query("""
                SELECT tenant_id, session_id, mode, message_id, expires_at, password_hash, revoked_at IS NOT NULL, views
                  FROM projection_sessions.session_shares WHERE share_id = \(shareID)
                """, logger: database.logger)
            for try await row in rows.decode((String, String, String, String?, Date?, String?, Bool, Int64).self) {
                return Link(tenant: row.0, shareID: shareID, sessionID: row.1, mode: row.2, messageID: row.3, expiresAt: row.4,
                            passwordHash: row.5, revoked: row.6, views: row.7)
            }
            return nil
        }
    }

    func shares(tenant: String, sessionID: String) async throws -> [ShareView] {
        try await database.read(as: tenant) { connection in
            let rows = try await connection.query("""
                SELECT share_id, mode, message_id, expires_at, password_hash IS NOT NULL, shared_at, revoked_at, views
                  FROM projection_sessions.session_shares
                 WHERE tenant_id = \(tenant) AND session_id = \(sessionID) ORDER BY shared_at, share_id
                """, logger: database.logger)
            var views: [ShareView] = []
            for try await row in rows.decode((String, String, String?, Date?, Bool, Date, Date?, Int64).self) {
                views.append(ShareView(id: row.0, sessionId: sessionID, mode: row.1, messageId: row.2,
                                       expiresAt: row.3.map(APITime.text), passwordProtected: row.4, sharedAt: APITime.text(row.5),
                                       revokedAt: row.6.map(APITime.text), views: row.7, url: "/v1/shared/\(row.0)"))
            }
            return views
        }
    }
}
