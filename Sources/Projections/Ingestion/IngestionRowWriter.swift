import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// Writes one ingestion task event into the read model's row.
struct IngestionRowWriter {
    let tenant: String
    let taskID: String
    let event: RecordedEvent
    let connection: PostgresConnection
    let logger: Logger

    func apply(_ task: IngestionTaskEvent) async throws {
        switch task {
        case .queued(let key, let target, let size, let attempts, let at):
            try await update("""
                INSERT INTO ingestion_tasks
                       (tenant_id, task_id, index_name, version, content_sha256, content_size, status, max_attempts,
                        first_document, first_commit, queued_at, changed_at, last_change, stream_version)
                VALUES (\(tenant), \(taskID), \(key.index), \(Int32(key.version)), \(key.contentSHA256), \(Int64(size)), 'queued',
                        \(Int32(attempts)), \(target.documentID), \(target.commitID), \(at), \(at), \(event.type),
                        \(event.streamVersion))
                ON CONFLICT (tenant_id, task_id) DO NOTHING
                """)
            return
        case .targetAdded:
            try await set("targets = targets + 1")
        case .claimed(let claim):
            try await update("""
                UPDATE ingestion_tasks
                   SET status = 'claimed', attempts = \(Int32(claim.attempt)), worker = \(claim.worker),
                       fencing_token = \(claim.token), lease_expires_at = \(claim.leaseExpiresAt), retry_at = NULL,
                       chunks = 0, parts = 0
                 WHERE tenant_id = \(tenant) AND task_id = \(taskID) AND stream_version < \(event.streamVersion)
                """)
        case .progressed(_, let chunks, let parts, let leaseExpiresAt, _):
            try await update("""
                UPDATE ingestion_tasks SET chunks = \(Int64(chunks)), parts = \(Int64(parts)), lease_expires_at = \(leaseExpiresAt)
                 WHERE tenant_id = \(tenant) AND task_id = \(taskID) AND stream_version < \(event.streamVersion)
                """)
        case .succeeded(_, let result, _):
            try await update("""
                UPDATE ingestion_tasks
                   SET status = 'succeeded', chunks = \(Int64(result.chunks)), parts = \(Int64(result.parts)),
                       worker = NULL, fencing_token = NULL, lease_expires_at = NULL
                 WHERE tenant_id = \(tenant) AND task_id = \(taskID) AND stream_version < \(event.streamVersion)
                """)
        case .failed(_, _, let error, let retryAt, _):
            try await returned(error: error, retryAt: retryAt)
        case .leaseExpired(_, _, let retryAt, _):
            try await returned(error: "lease expired", retryAt: retryAt)
        case .deadLettered(_, _, let error, _):
            try await update("""
                UPDATE ingestion_tasks
                   SET status = 'dead_lettered', last_error = \(error), worker = NULL, fencing_token = NULL, lease_expires_at = NULL
                 WHERE tenant_id = \(tenant) AND task_id = \(taskID) AND stream_version < \(event.streamVersion)
                """)
        case .requeued:
            try await set("status = 'queued', attempts = 0, retry_at = NULL")
        }
        try await update("""
            UPDATE ingestion_tasks SET changed_at = \(task.at), last_change = \(event.type), stream_version = \(event.streamVersion)
             WHERE tenant_id = \(tenant) AND task_id = \(taskID) AND stream_version < \(event.streamVersion)
            """)
    }

    private func returned(error: String, retryAt: Date) async throws {
        try await update("""
            UPDATE ingestion_tasks
               SET status = 'queued', last_error = \(error), retry_at = \(retryAt), worker = NULL, fencing_token = NULL,
                   lease_expires_at = NULL
             WHERE tenant_id = \(tenant) AND task_id = \(taskID) AND stream_version < \(event.streamVersion)
            """)
    }

    /// One of a few fixed assignments (never a value of the event's).
    private func set(_ assignment: StaticString) async throws {
        try await update("""
            UPDATE ingestion_tasks SET \(unescaped: "\(assignment)")
             WHERE tenant_id = \(tenant) AND task_id = \(taskID) AND stream_version < \(event.streamVersion)
            """)
    }

    private func update(_ query: PostgresQuery) async throws {
        try await connection.queryUnlessClosed(query, logger: logger)
    }
}

extension IngestionTaskEvent {
    /// When it happened, by the command's clock.
    var at: Date {
        switch self {
        case .queued(_, _, _, _, let at), .targetAdded(_, let at), .progressed(_, _, _, _, let at), .succeeded(_, _, let at),
             .failed(_, _, _, _, let at), .leaseExpired(_, _, _, let at), .deadLettered(_, _, _, let at), .requeued(_, let at):
            at
        case .claimed(let claim): claim.claimedAt
        }
    }
}
