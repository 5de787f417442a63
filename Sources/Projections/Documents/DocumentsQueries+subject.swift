import PostgresNIO

extension DocumentsQueries: SubjectRowQueries {
    public static let readModel = "documents"

    /// The documents the subject owns, and the commits it wrote or that its private
    /// documents hold.
    public func rows(about subject: String, tenant: String, _ row: SubjectRow.Handler) async throws {
        try await SubjectRow.stream("""
            SELECT (to_jsonb(d) - 'tenant_id')::text FROM projection_documents.documents d
             WHERE d.tenant_id = \(tenant) AND d.owner_id = \(subject) ORDER BY d.document_id
            """, table: "documents", on: connection, logger: logger, to: row)
        try await SubjectRow.stream("""
            SELECT (to_jsonb(c) - 'tenant_id')::text FROM projection_documents.document_commits c
             WHERE c.tenant_id = \(tenant)
               AND (c.author_id = \(subject)
                    OR c.document_id IN (SELECT d.document_id FROM projection_documents.documents d
                                          WHERE d.tenant_id = \(tenant) AND d.owner_id = \(subject) AND d.private))
             ORDER BY c.document_id, c.sequence
            """, table: "document_commits", on: connection, logger: logger, to: row)
    }
}
