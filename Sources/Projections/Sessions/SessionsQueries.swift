import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// The typed reads of the sessions read model. Each runs on a connection its caller has
/// prepared (a read-only transaction with `eventloom.tenant` set); every query of
/// `sessions` and `session_messages` names its tenant, since those tables are not under
/// row-level security (see docs/sessions.md).
public struct SessionsQueries: ReadModelQueries {
    let connection: PostgresConnection
    let logger: Logger

    public init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Refreshes the planner's statistics of the searched tables (after a bulk load).
    public static let analyze: PostgresQuery = "ANALYZE projection_sessions.sessions, projection_sessions.session_messages"

    static let sessionColumns = """
        session_id, owner_id, title, config, tags, archived, deleted, started_at, last_activity_at, message_count,
        token_count, active_message_id, summary_id, summary_through, summary, version
        """

    static let messageColumns = """
        message_id, parent_id, role, content, model, prompt_tokens, completion_tokens, citations, edited_from, created_at
        """

    /// Session `id` of `tenant`, if the read model has it.
    public func session(tenant: String, id: String) async throws -> SessionRow? {
        try await sessions("""
            SELECT \(unescaped: Self.sessionColumns) FROM projection_sessions.sessions
             WHERE tenant_id = \(tenant) AND session_id = \(id)
            """).first
    }

    /// Every message of a session, in the order they were added.
    public func messages(tenant: String, sessionID: String) async throws -> [MessageRow] {
        var records: [MessageRow] = []
        for row in try await connection.queryUnlessClosed("""
            SELECT \(unescaped: Self.messageColumns) FROM projection_sessions.session_messages
             WHERE tenant_id = \(tenant) AND session_id = \(sessionID) ORDER BY sequence
            """, logger: logger) {
            records.append(try Self.message(row.makeRandomAccess()))
        }
        return records
    }

    func sessions(_ query: PostgresQuery) async throws -> [SessionRow] {
        var records: [SessionRow] = []
        for row in try await connection.queryUnlessClosed(query, logger: logger) {
            records.append(try Self.session(row.makeRandomAccess()))
        }
        return records
    }

    static func session(_ row: PostgresRandomAccessRow) throws -> SessionRow {
        let summaryID = try row["summary_id"].decode(String?.self)
        return SessionRow(
            id: try row["session_id"].decode(String.self), owner: try row["owner_id"].decode(String.self),
            title: try row["title"].decode(String.self),
            config: try ModelConfig(protoJSON: try row["config"].decode(String.self)),
            tags: try row["tags"].decode([String].self), archived: try row["archived"].decode(Bool.self),
            deleted: try row["deleted"].decode(Bool.self), startedAt: try row["started_at"].decode(Date.self),
            lastActivityAt: try row["last_activity_at"].decode(Date.self),
            messageCount: Int(try row["message_count"].decode(Int32.self)), tokenCount: try row["token_count"].decode(Int64.self),
            activeMessageID: try row["active_message_id"].decode(String?.self),
            summary: try summaryID.map {
                SessionRow.Summary(id: $0, throughMessageID: try row["summary_through"].decode(String.self),
                                      text: try row["summary"].decode(String.self))
            },
            streamVersion: try row["version"].decode(Int64.self))
    }

    static func message(_ row: PostgresRandomAccessRow) throws -> MessageRow {
        MessageRow(
            id: try row["message_id"].decode(String.self), parentID: try row["parent_id"].decode(String?.self),
            role: try row["role"].decode(String.self), content: try row["content"].decode(String.self),
            model: try row["model"].decode(String?.self), promptTokens: try row["prompt_tokens"].decode(Int64.self),
            completionTokens: try row["completion_tokens"].decode(Int64.self),
            citations: try CitationsJSON.decode(try row["citations"].decode(String.self)),
            editedFrom: try row["edited_from"].decode(String?.self), createdAt: try row["created_at"].decode(Date.self))
    }
}
