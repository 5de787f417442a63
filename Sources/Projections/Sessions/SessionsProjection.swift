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

    public func apply(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws {
        var batch = SessionsBatch()
        for event in events { try batch.add(event) }
        try await batch.write(on: connection, logger: logger)
    }
}
