import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// The locks read model (docs/locks.md): each lock's grant as recorded, its last fencing
/// token and its queue in arrival order. A grant that ran out stays until its expiry is
/// recorded; the queries weigh `expires_at` against their caller's clock.
public struct LocksProjection: Projection {
    public let name = "locks"
    public let version = 1
    public let eventTypes: Set<String>? = LockEvent.typeNames

    public init() {}

    public func createTables(on connection: PostgresConnection, logger: Logger) async throws {
        try await TenantTables.create(["""
            CREATE TABLE locks (
                tenant_id      text        NOT NULL,
                resource       text        NOT NULL,
                holder         text,
                fencing_token  bigint,
                since          timestamptz,
                expires_at     timestamptz,
                last_token     bigint      NOT NULL DEFAULT 0,
                last_change    text        NOT NULL,
                changed_at     timestamptz NOT NULL,
                stream_version bigint      NOT NULL,
                PRIMARY KEY (tenant_id, resource)
            )
            """, """
            CREATE TABLE lock_waiters (
                tenant_id  text        NOT NULL,
                resource   text        NOT NULL,
                waiter_id  text        NOT NULL,
                owner      text        NOT NULL,
                ttl_ms     bigint      NOT NULL,
                queued_at  timestamptz NOT NULL,
                give_up_at timestamptz NOT NULL,
                position   bigint      NOT NULL,
                PRIMARY KEY (tenant_id, resource, waiter_id)
            )
            """], tables: ["locks", "lock_waiters"], on: connection, logger: logger)
    }

    public func createIndexes(on connection: PostgresConnection, logger: Logger) async throws {
        try await TenantTables.run([
            "CREATE INDEX locks_expiring ON locks (expires_at) WHERE holder IS NOT NULL",
            "CREATE INDEX locks_by_holder ON locks (tenant_id, holder, resource) WHERE holder IS NOT NULL",
            "CREATE INDEX lock_waiters_in_order ON lock_waiters (tenant_id, resource, position)",
        ], on: connection, logger: logger)
    }

    /// Locks hold no personal data (owners are user or key ids).
    public func erase(subject: String, tenant: String, on connection: PostgresConnection, logger: Logger) async throws {}

    public func apply(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws {
        for event in events where event.category == Lock.category {
            let row = LockRowWriter(tenant: event.tenant, resource: String(event.stream.dropFirst(Lock.category.count + 1)),
                                    event: event, connection: connection, logger: logger)
            try await row.apply(try event.decode(as: LockEvent.self))
        }
    }
}
