import Domain
import Foundation
import PostgresNIO

/// Reads of the sessions read model, always as the caller's tenant.
struct SessionQueries {
    let database: TenantDatabase

    static let sessionColumns = """
        session_id, owner_id, title, config, tags, archived, deleted, started_at, last_activity_at, message_count,
        token_count, active_message_id, summary_id, summary_through, summary, version
        """

    static let messageColumns = """
        message_id, parent_id, role, content, model, prompt_tokens, completion_tokens, citations, edited_from, created_at
        """

    /// Session `id` of `tenant`, if the read model has it.
    func session(tenant: String, id: String) async throws -> SessionView? {
        try await database.read(as: tenant) { connection in
            try await sessions(connection, """
                SELECT \(unescaped: Self.sessionColumns) FROM projection_sessions.sessions
                 WHERE tenant_id = \(tenant) AND session_id = \(id)
                """).first
        }
    }

    /// Every message of a session, in the order they were added.
    func messages(tenant: String, sessionID: String) async throws -> [MessageView] {
        try await database.read(as: tenant) { connection in
            try await messages(connection, """
                SELECT \(unescaped: Self.messageColumns) FROM projection_sessions.session_messages
                 WHERE tenant_id = \(tenant) AND session_id = \(sessionID) ORDER BY sequence
                """)
        }
    }

    func sessions(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> [SessionView] {
        var views: [SessionView] = []
        for try await row in try await connection.query(query, logger: database.logger) {
            views.append(try Self.session(row.makeRandomAccess()))
        }
        return views
    }

    func messages(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> [MessageView] {
        var views: [MessageView] = []
        for try await row in try await connection.query(query, logger: database.logger) {
            views.append(try Self.message(row.makeRandomAccess()))
        }
        return views
    }

    static func session(_ row: PostgresRandomAccessRow) throws -> SessionView {
        let summaryID = try row["summary_id"].decode(String?.self)
        return SessionView(
            id: try row["session_id"].decode(String.self), owner: try row["owner_id"].decode(String.self),
            title: try row["title"].decode(String.self),
            config: ModelConfigBody(try ModelConfig(protoJSON: try row["config"].decode(String.self))),
            tags: try row["tags"].decode([String].self), archived: try row["archived"].decode(Bool.self),
            deleted: try row["deleted"].decode(Bool.self), startedAt: APITime.text(try row["started_at"].decode(Date.self)),
            lastActivityAt: APITime.text(try row["last_activity_at"].decode(Date.self)),
            messageCount: Int(try row["message_count"].decode(Int32.self)), tokenCount: try row["token_count"].decode(Int64.self),
            activeMessageId: try row["active_message_id"].decode(String?.self),
            summary: try summaryID.map {
                SessionView.Summary(id: $0, throughMessageId: try row["summary_through"].decode(String.self),
                                    text: try row["summary"].decode(String.self))
            },
            streamVersion: try row["version"].decode(Int64.self))
    }

    static func message(_ row: PostgresRandomAccessRow) throws -> MessageView {
        MessageView(
            id: try row["message_id"].decode(String.self), parentId: try row["parent_id"].decode(String?.self),
            role: try row["role"].decode(String.self), content: try row["content"].decode(String.self),
            model: try row["model"].decode(String?.self), promptTokens: try row["prompt_tokens"].decode(Int64.self),
            completionTokens: try row["completion_tokens"].decode(Int64.self),
            citations: try CitationsJSON.decode(try row["citations"].decode(String.self)).map(CitationBody.init),
            editedFrom: try row["edited_from"].decode(String?.self), createdAt: APITime.text(try row["created_at"].decode(Date.self)))
    }
}
