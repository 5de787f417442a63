import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// The ingestion read model (docs/indexes.md, "Ingestion"): every task with its state,
/// attempts, holder, lease and progress, for the queue, the claims and a version's build.
/// A lease that ran out shows as claimed until its expiry is recorded; the queries weigh
/// `lease_expires_at` against their caller's clock.
public struct IngestionProjection: Projection {
    public let name = "ingestion"
    public let version = 1
    public let eventTypes: Set<String>? = IngestionTaskEvent.typeNames

    public init() {}

    public func createTables(on connection: PostgresConnection, logger: Logger) async throws {
        try await TenantTables.create(["""
            CREATE TABLE ingestion_tasks (
                tenant_id        text        NOT NULL,
                task_id          text        NOT NULL,
                index_name       text        NOT NULL,
                version          int         NOT NULL,
                content_sha256   text        NOT NULL,
                content_size     bigint      NOT NULL,
                status           text        NOT NULL,
                attempts         int         NOT NULL DEFAULT 0,
                max_attempts     int         NOT NULL,
                worker           text,
                fencing_token    bigint,
                lease_expires_at timestamptz,
                retry_at         timestamptz,
                chunks           bigint      NOT NULL DEFAULT 0,
                parts            bigint      NOT NULL DEFAULT 0,
                targets          int         NOT NULL DEFAULT 1,
                first_document   text        NOT NULL,
                first_commit     text        NOT NULL,
                last_error       text,
                queued_at        timestamptz NOT NULL,
                changed_at       timestamptz NOT NULL,
                last_change      text        NOT NULL,
                stream_version   bigint      NOT NULL,
                PRIMARY KEY (tenant_id, task_id)
            )
            """], tables: ["ingestion_tasks"], on: connection, logger: logger)
    }

    public func createIndexes(on connection: PostgresConnection, logger: Logger) async throws {
        try await TenantTables.run([
            "CREATE INDEX ingestion_tasks_by_version ON ingestion_tasks (tenant_id, index_name, version, status)",
            "CREATE INDEX ingestion_tasks_claimable ON ingestion_tasks (tenant_id, queued_at) WHERE status IN ('queued', 'claimed')",
        ], on: connection, logger: logger)
    }

    /// Tasks hold no personal data (ids, hashes, counts and workers' errors).
    public func erase(subject: String, tenant: String, on connection: PostgresConnection, logger: Logger) async throws {}

    public func apply(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws {
        for event in events where event.category == IngestionTask.category {
            let writer = IngestionRowWriter(tenant: event.tenant, taskID: String(event.stream.dropFirst(IngestionTask.category.count + 1)),
                                            event: event, connection: connection, logger: logger)
            try await writer.apply(try event.decode(as: IngestionTaskEvent.self))
        }
    }
}
