import Domain
import EventStore
import Logging
import PostgresNIO

/// The sessions read model: each session with its owner, title, tags, flags, activity and
/// counts; every message with its place in the tree; shared links with their views.
/// Messages and titles are indexed for English full text (stems) and for trigrams, which
/// find substrings and Chinese or Japanese phrases that full text cannot split into words.
public struct SessionsProjection: Projection {
    public let name = "sessions"
    public let version = 3
    public let eventTypes: Set<String>? = SessionEvent.typeNames.union(ShareViewed.typeNames)

    public init() {}

    public func createTables(on connection: PostgresConnection, logger: Logger) async throws {
        try await TenantTables.create(SessionsTables.create, tables: SessionsTables.protected, on: connection, logger: logger)
    }

    public func createIndexes(on connection: PostgresConnection, logger: Logger) async throws {
        try await TenantTables.run(SessionsTables.indexes, on: connection, logger: logger)
    }

    /// The subject's sessions (those it owns) keep their ids, counts and tree; every
    /// personal field reads `[erased]`, as a rebuild from the log now writes it: titles,
    /// system prompts, tags, summaries, messages and their quotes. The search indexes
    /// follow (their columns are computed from these).
    public func erase(subject: String, tenant: String, on connection: PostgresConnection, logger: Logger) async throws {
        let erased = SessionsProjection.erased
        try await connection.queryUnlessClosed("""
            UPDATE sessions
               SET title = \(erased),
                   config = CASE WHEN config::jsonb ? 'systemPrompt'
                                 THEN jsonb_set(config::jsonb, '{systemPrompt}', to_jsonb(\(erased)::text))::text ELSE config END,
                   tags = array(SELECT \(erased)::text FROM unnest(tags)),
                   summary = CASE WHEN summary IS NULL THEN NULL ELSE \(erased) END
             WHERE tenant_id = \(tenant) AND owner_id = \(subject)
            """, logger: logger)
        try await connection.queryUnlessClosed("""
            UPDATE session_messages
               SET content = \(erased),
                   citations = (SELECT coalesce(jsonb_agg(CASE WHEN c ? 'quote' THEN jsonb_set(c, '{quote}', to_jsonb(\(erased)::text))
                                                              ELSE c END ORDER BY n), '[]'::jsonb)::text
                                  FROM jsonb_array_elements(citations::jsonb) WITH ORDINALITY AS x(c, n))
             WHERE tenant_id = \(tenant) AND owner_id = \(subject)
            """, logger: logger)
    }

    /// What an erased personal field reads as (``EventStore/FieldCipher``'s marker).
    static let erased = EventStore.erasedText

    public func apply(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws {
        var batch = SessionsBatch()
        for event in events { try batch.add(event) }
        try await batch.write(on: connection, logger: logger)
    }
}
