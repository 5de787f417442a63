import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// The quotas read model: every budget with its chain, its accounts per window (limit,
/// consumed, reserved, alerts), every reservation with its status, and usage per day,
/// model, key and budget for analytics. A batch is folded in memory first, so a hot
/// budget costs one row update per batch, not one per event.
public struct QuotasProjection: Projection {
    public let name = "quotas"
    public let version = 1
    public let eventTypes: Set<String>? = BudgetEvent.typeNames.union(ReservationEvent.typeNames)

    public init() {}

    public func createTables(on connection: PostgresConnection, logger: Logger) async throws {
        try await TenantTables.create(QuotasTables.create, tables: QuotasTables.names, on: connection, logger: logger)
    }

    public func createIndexes(on connection: PostgresConnection, logger: Logger) async throws {
        try await TenantTables.run(QuotasTables.indexes, on: connection, logger: logger)
    }

    /// Budgets and reservations hold no personal data.
    public func erase(subject: String, tenant: String, on connection: PostgresConnection, logger: Logger) async throws {}

    public func apply(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws {
        var batch = QuotasBatch()
        for event in events { try batch.add(event) }
        try await batch.write(on: connection, logger: logger)
    }
}
