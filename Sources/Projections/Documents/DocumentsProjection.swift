import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// The documents read model (docs/documents.md): each document with its title, owner,
/// attributes, heads and tags, and every commit's record, for listing and searching by
/// title and metadata.
public struct DocumentsProjection: Projection {
    public let name = "documents"
    public let version = 1
    public let eventTypes: Set<String>? = DocumentEvent.typeNames

    public init() {}

    public func createTables(on connection: PostgresConnection, logger: Logger) async throws {
        try await TenantTables.create(["""
            CREATE TABLE documents (
                tenant_id      text        NOT NULL,
                document_id    text        NOT NULL,
                title          text        NOT NULL,
                owner_id       text        NOT NULL,
                private        boolean     NOT NULL,
                default_branch text        NOT NULL,
                attributes     jsonb       NOT NULL,
                created_at     timestamptz NOT NULL,
                commits        bigint      NOT NULL DEFAULT 0,
                last_commit_at timestamptz,
                head           text,
                mime_type      text,
                modality       text,
                stream_version bigint      NOT NULL,
                PRIMARY KEY (tenant_id, document_id)
            )
            """, """
            CREATE TABLE document_refs (
                tenant_id   text NOT NULL,
                document_id text NOT NULL,
                kind        text NOT NULL CHECK (kind IN ('branch', 'tag')),
                name        text NOT NULL,
                commit_id   text NOT NULL,
                PRIMARY KEY (tenant_id, document_id, kind, name)
            )
            """, """
            CREATE TABLE document_commits (
                tenant_id      text        NOT NULL,
                document_id    text        NOT NULL,
                commit_id      text        NOT NULL,
                sequence       bigint      NOT NULL,
                parents        text[]      NOT NULL,
                branch         text        NOT NULL,
                author_id      text        NOT NULL,
                author_name    text        NOT NULL,
                message        text        NOT NULL,
                committed_at   timestamptz NOT NULL,
                content_sha256 text        NOT NULL,
                size           bigint      NOT NULL,
                mime_type      text        NOT NULL,
                modality       text        NOT NULL,
                attributes     jsonb       NOT NULL,
                PRIMARY KEY (tenant_id, document_id, commit_id)
            )
            """], tables: ["documents", "document_refs", "document_commits"], on: connection, logger: logger)
    }

    public func createIndexes(on connection: PostgresConnection, logger: Logger) async throws {
        try await TenantTables.run([
            "CREATE INDEX documents_by_owner ON documents (tenant_id, owner_id, document_id)",
            "CREATE INDEX documents_attributes ON documents USING gin (attributes jsonb_path_ops)",
            "CREATE INDEX document_commits_in_order ON document_commits (tenant_id, document_id, sequence)",
            "CREATE INDEX document_commits_by_author ON document_commits (tenant_id, author_id)",
        ], on: connection, logger: logger)
    }

    /// The subject's documents lose their titles and attribute values; the commits it
    /// wrote, and every commit of its private documents, their author names, messages and
    /// attribute values (as a rebuild from the log now writes them).
    public func erase(subject: String, tenant: String, on connection: PostgresConnection, logger: Logger) async throws {
        let erased = EventStore.erasedText
        try await connection.queryUnlessClosed("""
            UPDATE documents
               SET title = \(erased),
                   attributes = (SELECT coalesce(jsonb_object_agg(key, \(erased)::text), '{}'::jsonb) FROM jsonb_each(attributes))
             WHERE tenant_id = \(tenant) AND owner_id = \(subject)
            """, logger: logger)
        try await connection.queryUnlessClosed("""
            UPDATE document_commits c
               SET author_name = \(erased), message = CASE WHEN message = '' THEN '' ELSE \(erased) END,
                   attributes = (SELECT coalesce(jsonb_object_agg(key, \(erased)::text), '{}'::jsonb) FROM jsonb_each(c.attributes))
             WHERE c.tenant_id = \(tenant)
               AND (c.author_id = \(subject)
                    OR c.document_id IN (SELECT d.document_id FROM documents d
                                          WHERE d.tenant_id = \(tenant) AND d.owner_id = \(subject) AND d.private))
            """, logger: logger)
    }

    public func apply(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws {
        for event in events where event.category == Document.category {
            let writer = DocumentRowWriter(tenant: event.tenant, event: event, connection: connection, logger: logger)
            try await writer.apply(try event.decode(as: DocumentEvent.self))
        }
    }
}
