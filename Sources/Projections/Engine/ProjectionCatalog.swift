import EventStore
import Foundation
import Logging
import PostgresNIO

/// The `projections` table: each projection's checkpoint, state and rebuild.
public struct ProjectionCatalog: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Every registered projection's status, by name.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func all() async throws -> [ProjectionStatus] {
        try await statuses("SELECT \(unescaped: ProjectionStatus.columns) FROM projections p ORDER BY p.name")
    }

    /// The status of projection `name`; nil when no runner has registered it yet.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func status(_ name: String) async throws -> ProjectionStatus? {
        try await statuses("SELECT \(unescaped: ProjectionStatus.columns) FROM projections p WHERE p.name = \(name)").first
    }

    /// Asks for projection `name` to be rebuilt from an empty state; its runner starts within
    /// about a second. False when no such projection is registered.
    /// - Throws: ``EventStoreError`` `unavailable`.
    @discardableResult
    public func requestRebuild(_ name: String) async throws -> Bool {
        try await run("""
            UPDATE projections SET rebuild_requested_at = coalesce(rebuild_requested_at, clock_timestamp()),
                                   updated_at = clock_timestamp()
             WHERE name = \(name) RETURNING name
            """).count == 1
    }

    /// How many events the log holds, every tenant (a rebuild's 100 %).
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func eventCount() async throws -> Int {
        Int(try await run("SELECT count(*) FROM events").first?.decode(Int64.self) ?? 0)
    }

    func statuses(_ query: PostgresQuery) async throws -> [ProjectionStatus] {
        try await run(query).map(ProjectionStatus.init(row:))
    }

    func run(_ query: PostgresQuery) async throws -> [PostgresRow] {
        do {
            return try await client.queryUnlessClosed(query, logger: logger)
        } catch {
            throw EventStoreError(.unavailable, "cannot read or write the projections table", underlying: error)
        }
    }
}
