import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// Writes one document event into the documents read model.
struct DocumentRowWriter {
    let tenant: String
    let event: RecordedEvent
    let connection: PostgresConnection
    let logger: Logger

    func apply(_ decoded: DocumentEvent) async throws {
        switch decoded {
        case .created(let record): try await create(record)
        case .committed(let documentID, let commit): try await record(commit, documentID: documentID)
        case .branchCreated(let documentID, let branch, let commitID, _):
            try await setRef(documentID: documentID, kind: "branch", name: branch, commitID: commitID)
        case .branchDeleted(let documentID, let branch, _, _):
            try await run("""
                DELETE FROM document_refs
                 WHERE tenant_id = \(tenant) AND document_id = \(documentID) AND kind = 'branch' AND name = \(branch)
                """)
            try await touch(documentID)
        case .tagged(let documentID, let tag):
            try await setRef(documentID: documentID, kind: "tag", name: tag.name, commitID: tag.commitID)
        }
    }

    private func create(_ record: DocumentRecord) async throws {
        try await run("""
            INSERT INTO documents (tenant_id, document_id, title, owner_id, private, default_branch, attributes, created_at,
                                   stream_version)
            VALUES (\(tenant), \(record.id), \(record.title), \(record.ownerID), \(record.isPrivate), \(record.defaultBranch),
                    \(Self.json(record.attributes))::jsonb, \(record.at), \(event.streamVersion))
            ON CONFLICT (tenant_id, document_id) DO NOTHING
            """)
    }

    private func record(_ commit: DocumentCommit, documentID: String) async throws {
        try await run("""
            INSERT INTO document_commits (tenant_id, document_id, commit_id, sequence, parents, branch, author_id, author_name,
                                          message, committed_at, content_sha256, size, mime_type, modality, attributes)
            VALUES (\(tenant), \(documentID), \(commit.id), \(event.streamVersion), \(commit.parents), \(commit.branch),
                    \(commit.author.id), \(commit.author.name), \(commit.message), \(commit.at), \(commit.content.sha256),
                    \(commit.content.size), \(commit.content.mimeType), \(commit.content.modality.rawValue),
                    \(Self.json(commit.attributes))::jsonb)
            ON CONFLICT DO NOTHING
            """)
        try await setRef(documentID: documentID, kind: "branch", name: commit.branch, commitID: commit.id)
        try await run("""
            UPDATE documents
               SET commits = commits + 1, last_commit_at = \(commit.at),
                   head = CASE WHEN default_branch = \(commit.branch) THEN \(commit.id) ELSE head END,
                   mime_type = CASE WHEN default_branch = \(commit.branch) THEN \(commit.content.mimeType) ELSE mime_type END,
                   modality = CASE WHEN default_branch = \(commit.branch) THEN \(commit.content.modality.rawValue) ELSE modality END
             WHERE tenant_id = \(tenant) AND document_id = \(documentID)
            """)
    }

    private func setRef(documentID: String, kind: String, name: String, commitID: String) async throws {
        try await run("""
            INSERT INTO document_refs (tenant_id, document_id, kind, name, commit_id)
            VALUES (\(tenant), \(documentID), \(kind), \(name), \(commitID))
            ON CONFLICT (tenant_id, document_id, kind, name) DO UPDATE SET commit_id = excluded.commit_id
            """)
        try await touch(documentID)
    }

    private func touch(_ documentID: String) async throws {
        try await run("""
            UPDATE documents SET stream_version = \(event.streamVersion)
             WHERE tenant_id = \(tenant) AND document_id = \(documentID)
            """)
    }

    private func run(_ query: PostgresQuery) async throws {
        _ = try await connection.queryUnlessClosed(query, logger: logger)
    }

    /// Attributes as a JSON object.
    static func json(_ attributes: [DocumentAttribute]) -> String {
        let object = Dictionary(attributes.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
