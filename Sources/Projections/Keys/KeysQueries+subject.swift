import PostgresNIO

extension KeysQueries: SubjectRowQueries {
    public static let readModel = "keys"

    /// The keys that act for the subject (their `user_id`), without the secrets' hashes.
    public func rows(about subject: String, tenant: String, _ row: SubjectRow.Handler) async throws {
        try await SubjectRow.stream("""
            SELECT (to_jsonb(k) - 'secret_sha256' - 'tenant_id')::text FROM projection_keys.keys k
             WHERE k.tenant_id = \(tenant) AND k.user_id = \(subject) ORDER BY k.key_id
            """, table: "keys", on: connection, logger: logger, to: row)
    }
}
