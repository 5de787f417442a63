import Domain
import Foundation
import Projections

/// The sessions read model as the API reads it: through its typed queries
/// (`Projections/Sessions/SessionsQueries`), as the caller's tenant, as response bodies.
struct SessionReads {
    let database: TenantDatabase

    /// Session `id` of `tenant`, if the read model has it.
    func session(tenant: String, id: String) async throws -> SessionView? {
        try await queries(as: tenant) { try await $0.session(tenant: tenant, id: id) }.map { SessionView($0) }
    }

    /// Every message of a session, in the order they were added.
    func messages(tenant: String, sessionID: String) async throws -> [MessageView] {
        try await queries(as: tenant) { try await $0.messages(tenant: tenant, sessionID: sessionID) }.map { MessageView($0) }
    }

    /// A page of `tenant`'s sessions, most recently active first, each with the cursor after it.
    func list(tenant: String, _ filter: SessionListFilter) async throws -> [(view: SessionView, cursor: SessionListCursor)] {
        try await queries(as: tenant) { try await $0.list(tenant: tenant, filter) }.map { (SessionView($0.record), $0.cursor) }
    }

    /// Sessions and messages of `tenant` that match `query`, best first.
    func search(tenant: String, owner: String?, query: String, limit: Int) async throws -> [SearchHit] {
        try await queries(as: tenant) { try await $0.search(tenant: tenant, owner: owner, query: query, limit: limit) }
            .map { SearchHit($0, query: query) }
    }

    /// A shared link found by its id alone, in any tenant.
    func link(_ shareID: String) async throws -> ShareRow? {
        try await queries(as: "*") { try await $0.link(shareID) }
    }

    /// Every link of a session, oldest first.
    func shares(tenant: String, sessionID: String) async throws -> [ShareView] {
        try await queries(as: tenant) { try await $0.shares(tenant: tenant, sessionID: sessionID) }.map { ShareView($0) }
    }

    private func queries<T: Sendable>(as tenant: String, _ body: (SessionsQueries) async throws -> T) async throws -> T {
        try await database.queries(SessionsQueries.self, as: tenant, body)
    }
}

extension SessionView {
    init(_ record: SessionRow) {
        self.init(id: record.id, owner: record.owner, title: record.title, config: ModelConfigBody(record.config),
                  tags: record.tags, archived: record.archived, deleted: record.deleted,
                  startedAt: APITime.text(record.startedAt), lastActivityAt: APITime.text(record.lastActivityAt),
                  messageCount: record.messageCount, tokenCount: record.tokenCount, activeMessageId: record.activeMessageID,
                  summary: record.summary.map { Summary(id: $0.id, throughMessageId: $0.throughMessageID, text: $0.text) },
                  streamVersion: record.streamVersion)
    }
}

extension MessageView {
    init(_ record: MessageRow) {
        self.init(id: record.id, parentId: record.parentID, role: record.role, content: record.content, model: record.model,
                  promptTokens: record.promptTokens, completionTokens: record.completionTokens,
                  citations: record.citations.map(CitationBody.init), editedFrom: record.editedFrom,
                  createdAt: APITime.text(record.createdAt))
    }
}

extension ShareView {
    init(_ record: ShareRow) {
        self.init(id: record.shareID, sessionId: record.sessionID, mode: record.mode, messageId: record.messageID,
                  expiresAt: record.expiresAt.map(APITime.text), passwordProtected: record.passwordHash != nil,
                  sharedAt: APITime.text(record.sharedAt), revokedAt: record.revokedAt.map(APITime.text), views: record.views,
                  url: "/v1/shared/\(record.shareID)")
    }
}
