import PostgresNIO

extension QuotasQueries: SubjectRowQueries {
    public static let readModel = "quotas"

    /// The budgets of the subject (scope `user`) and their windows.
    public func rows(about subject: String, tenant: String, _ row: SubjectRow.Handler) async throws {
        try await SubjectRow.stream("""
            SELECT (to_jsonb(b) - 'tenant_id')::text FROM projection_quotas.budgets b
             WHERE b.tenant_id = \(tenant) AND b.scope_kind = 'user' AND b.scope_id = \(subject) ORDER BY b.budget_id
            """, table: "budgets", on: connection, logger: logger, to: row)
        try await SubjectRow.stream("""
            SELECT (to_jsonb(w) - 'tenant_id')::text FROM projection_quotas.budget_windows w
             WHERE w.tenant_id = \(tenant)
               AND w.budget_id IN (SELECT b.budget_id FROM projection_quotas.budgets b
                                    WHERE b.tenant_id = \(tenant) AND b.scope_kind = 'user' AND b.scope_id = \(subject))
             ORDER BY w.budget_id, w.window_start
            """, table: "budget_windows", on: connection, logger: logger, to: row)
    }
}
