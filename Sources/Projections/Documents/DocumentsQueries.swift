import Foundation
import Logging
import PostgresNIO

/// The typed reads of the documents read model.
public struct DocumentsQueries: ReadModelQueries {
    let connection: PostgresConnection
    let logger: Logger

    public init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// A page of `tenant`'s documents by id, as `filter` selects them.
    public func list(tenant: String, _ filter: DocumentListFilter) async throws -> [DocumentRow] {
        let title = filter.titleContains.map { "%" + Self.likeEscaped($0) + "%" }
        let attributes = filter.attributes.isEmpty ? nil : Self.json(filter.attributes)
        return try await connection.queryUnlessClosed("""
            SELECT d.document_id, d.title, d.owner_id, d.private, d.default_branch, d.attributes::text, d.created_at,
                   d.commits, d.last_commit_at, d.head, d.mime_type, d.modality, d.stream_version,
                   (SELECT count(*) FROM projection_documents.document_refs r
                     WHERE r.tenant_id = d.tenant_id AND r.document_id = d.document_id AND r.kind = 'branch'),
                   (SELECT count(*) FROM projection_documents.document_refs r
                     WHERE r.tenant_id = d.tenant_id AND r.document_id = d.document_id AND r.kind = 'tag')
              FROM projection_documents.documents d
             WHERE d.tenant_id = \(tenant)
               AND (\(filter.visibleTo)::text IS NULL OR NOT d.private OR d.owner_id = \(filter.visibleTo))
               AND (\(filter.owner)::text IS NULL OR d.owner_id = \(filter.owner))
               AND (\(title)::text IS NULL OR d.title ILIKE \(title))
               AND (\(attributes)::text IS NULL OR d.attributes @> \(attributes)::jsonb)
               AND (\(filter.modality)::text IS NULL OR d.modality = \(filter.modality))
               AND (\(filter.after)::text IS NULL OR d.document_id > \(filter.after))
             ORDER BY d.document_id LIMIT \(filter.limit)
            """, logger: logger).map(Self.row)
    }

    private static func row(_ row: PostgresRow) throws -> DocumentRow {
        let (id, title, owner, isPrivate, branch, attributes, createdAt, commits, lastCommitAt, head, mimeType, modality,
             version, branches, tags) = try row.decode((String, String, String, Bool, String, String, Date, Int64, Date?,
                                                        String?, String?, String?, Int64, Int64, Int64).self)
        let decoded = (try? JSONSerialization.jsonObject(with: Data(attributes.utf8)) as? [String: String]) ?? [:]
        return DocumentRow(documentID: id, title: title, ownerID: owner, isPrivate: isPrivate, defaultBranch: branch,
                           attributes: decoded, createdAt: createdAt, commits: commits, lastCommitAt: lastCommitAt, head: head,
                           mimeType: mimeType, modality: modality, streamVersion: version, branches: branches, tags: tags)
    }

    private static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    private static func json(_ attributes: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: attributes, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// What a document list selects.
public struct DocumentListFilter: Sendable {
    /// A user's key sees shared documents and that user's private ones; nil: every document.
    public var visibleTo: String?
    public var owner: String?
    /// Case-insensitive part of the title.
    public var titleContains: String?
    /// Attributes the document must have, with these values.
    public var attributes: [String: String] = [:]
    public var modality: String?
    /// The document id the previous page ended with.
    public var after: String?
    public var limit: Int

    public init(limit: Int) {
        self.limit = limit
    }
}

/// A document as the read model holds it.
public struct DocumentRow: Sendable {
    public let documentID: String
    public let title: String
    public let ownerID: String
    public let isPrivate: Bool
    public let defaultBranch: String
    public let attributes: [String: String]
    public let createdAt: Date
    public let commits: Int64
    public let lastCommitAt: Date?
    /// The default branch's head.
    public let head: String?
    public let mimeType: String?
    public let modality: String?
    public let streamVersion: Int64
    public let branches: Int64
    public let tags: Int64
}
