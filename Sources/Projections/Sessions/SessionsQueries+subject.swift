import PostgresNIO

extension SessionsQueries: SubjectRowQueries {
    public static let readModel = "sessions"

    /// The sessions the subject owns, their messages and their shared links (whether a
    /// link has a password, not its hash); the search columns are left out.
    public func rows(about subject: String, tenant: String, _ row: SubjectRow.Handler) async throws {
        try await SubjectRow.stream("""
            SELECT (to_jsonb(s) - 'title_words' - 'tenant_id')::text FROM projection_sessions.sessions s
             WHERE s.tenant_id = \(tenant) AND s.owner_id = \(subject) ORDER BY s.session_id
            """, table: "sessions", on: connection, logger: logger, to: row)
        try await SubjectRow.stream("""
            SELECT (to_jsonb(m) - 'words' - 'tenant_id' - 'session_deleted')::text FROM projection_sessions.session_messages m
             WHERE m.tenant_id = \(tenant) AND m.owner_id = \(subject) ORDER BY m.session_id, m.sequence, m.message_id
            """, table: "session_messages", on: connection, logger: logger, to: row)
        try await SubjectRow.stream("""
            SELECT (to_jsonb(sh) - 'password_hash' - 'tenant_id'
                    || jsonb_build_object('has_password', sh.password_hash IS NOT NULL))::text
              FROM projection_sessions.session_shares sh
             WHERE sh.tenant_id = \(tenant)
               AND sh.session_id IN (SELECT s.session_id FROM projection_sessions.sessions s
                                      WHERE s.tenant_id = \(tenant) AND s.owner_id = \(subject))
             ORDER BY sh.share_id
            """, table: "session_shares", on: connection, logger: logger, to: row)
    }
}
