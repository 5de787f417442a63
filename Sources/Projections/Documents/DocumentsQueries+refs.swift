import Foundation
import PostgresNIO

/// A ref as the documents read model resolves it: the commit it names now and its content.
public struct ResolvedRef: Sendable, Hashable {
    public let documentID: String
    public let ref: String
    public let commitID: String
    public let contentSHA256: String
}

extension DocumentsQueries {
    /// The commit each of `refs` (document id, ref) names now, resolved as a document
    /// resolves a ref: a commit id, then `refs/tags/…`, `refs/heads/…`, a tag, a branch.
    /// Refs naming nothing are left out.
    public func resolve(tenant: String, refs: [(documentID: String, ref: String)]) async throws -> [ResolvedRef] {
        guard !refs.isEmpty else { return [] }
        let documents = refs.map(\.documentID)
        let names = refs.map(\.ref)
        let rows = try await connection.queryUnlessClosed("""
            SELECT s.document_id, s.ref, c.commit_id, c.content_sha256
              FROM unnest(\(documents)::text[], \(names)::text[]) AS s(document_id, ref)
              JOIN LATERAL (
                SELECT r.commit_id FROM (
                    SELECT commit_id, 0 AS rank FROM projection_documents.document_commits
                     WHERE tenant_id = \(tenant) AND document_id = s.document_id AND commit_id = s.ref
                    UNION ALL
                    SELECT commit_id, CASE WHEN s.ref = 'refs/tags/' || name THEN 1 WHEN s.ref = 'refs/heads/' || name THEN 2
                                           WHEN kind = 'tag' THEN 3 ELSE 4 END
                      FROM projection_documents.document_refs
                     WHERE tenant_id = \(tenant) AND document_id = s.document_id
                       AND (s.ref = name OR (kind = 'tag' AND s.ref = 'refs/tags/' || name)
                            OR (kind = 'branch' AND s.ref = 'refs/heads/' || name))
                ) r ORDER BY r.rank LIMIT 1
              ) named ON true
              JOIN projection_documents.document_commits c
                ON c.tenant_id = \(tenant) AND c.document_id = s.document_id AND c.commit_id = named.commit_id
            """, logger: logger)
        return try rows.map { row in
            let (document, ref, commit, sha) = try row.decode((String, String, String, String).self)
            return ResolvedRef(documentID: document, ref: ref, commitID: commit, contentSHA256: sha)
        }
    }
}
