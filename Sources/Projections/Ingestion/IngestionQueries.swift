import Foundation
import Logging
import PostgresNIO

/// The typed reads of the ingestion read model, on a connection its caller has prepared.
public struct IngestionQueries: ReadModelQueries {
    let connection: PostgresConnection
    let logger: Logger

    public init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// The task `taskID`; nil when nothing was recorded about it.
    public func task(tenant: String, taskID: String) async throws -> IngestionTaskRow? {
        try await connection.queryUnlessClosed("""
            SELECT \(unescaped: Self.columns) FROM projection_ingestion.ingestion_tasks
             WHERE tenant_id = \(tenant) AND task_id = \(taskID)
            """, logger: logger).map(Self.row).first
    }

    /// A page of `tenant`'s tasks by id.
    public func list(tenant: String, _ filter: IngestionTaskFilter) async throws -> [IngestionTaskRow] {
        let version = filter.version.map(Int32.init)
        return try await connection.queryUnlessClosed("""
            SELECT \(unescaped: Self.columns) FROM projection_ingestion.ingestion_tasks
             WHERE tenant_id = \(tenant)
               AND (\(filter.index)::text IS NULL OR index_name = \(filter.index))
               AND (\(version)::int IS NULL OR version = \(version))
               AND (\(filter.status)::text IS NULL OR status = \(filter.status))
               AND (\(filter.after)::text IS NULL OR task_id > \(filter.after))
             ORDER BY task_id LIMIT \(Int64(filter.limit))
            """, logger: logger).map(Self.row)
    }

    /// Ids of tasks a worker may claim at `now`, oldest first: queued and past their
    /// backoff, or claimed with a lease that ran out.
    public func claimable(tenant: String, index: String?, version: Int?, now: Date, limit: Int) async throws -> [String] {
        let version = version.map(Int32.init)
        return try await connection.queryUnlessClosed("""
            SELECT task_id FROM projection_ingestion.ingestion_tasks
             WHERE tenant_id = \(tenant) AND status IN ('queued', 'claimed')
               AND ((status = 'queued' AND (retry_at IS NULL OR retry_at <= \(now)))
                    OR (status = 'claimed' AND lease_expires_at <= \(now)))
               AND (\(index)::text IS NULL OR index_name = \(index))
               AND (\(version)::int IS NULL OR version = \(version))
             ORDER BY queued_at, task_id LIMIT \(Int64(limit))
            """, logger: logger).map { try $0.decode(String.self) }
    }

    /// How the tasks of `index`'s version `version` stand.
    public func progress(tenant: String, index: String, version: Int) async throws -> VersionBuildProgress {
        var progress = VersionBuildProgress()
        let rows = try await connection.queryUnlessClosed("""
            SELECT status, count(*)::int8, coalesce(sum(chunks) FILTER (WHERE status = 'succeeded'), 0)::int8
              FROM projection_ingestion.ingestion_tasks
             WHERE tenant_id = \(tenant) AND index_name = \(index) AND version = \(Int32(version))
             GROUP BY status
            """, logger: logger)
        for row in rows {
            let (status, count, chunks) = try row.decode((String, Int64, Int64).self)
            switch status {
            case "queued": progress.queued = Int(count)
            case "claimed": progress.claimed = Int(count)
            case "succeeded": progress.succeeded = Int(count)
            default: progress.deadLettered = Int(count)
            }
            progress.chunks += Int(chunks)
        }
        return progress
    }

    /// The state of each task of `index`'s version `version`, by task id.
    public func taskStates(tenant: String, index: String, version: Int) async throws -> [String: String] {
        let rows = try await connection.queryUnlessClosed("""
            SELECT task_id, status FROM projection_ingestion.ingestion_tasks
             WHERE tenant_id = \(tenant) AND index_name = \(index) AND version = \(Int32(version))
            """, logger: logger)
        return Dictionary(try rows.map { try $0.decode((String, String).self) }, uniquingKeysWith: { $1 })
    }

    /// Tasks of `tenant` not finished (queued or claimed): the queue that back-pressure bounds.
    public func unfinished(tenant: String) async throws -> Int {
        let rows = try await connection.queryUnlessClosed("""
            SELECT count(*)::int8 FROM projection_ingestion.ingestion_tasks
             WHERE tenant_id = \(tenant) AND status IN ('queued', 'claimed')
            """, logger: logger)
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }

    private static let columns = """
        task_id, index_name, version, content_sha256, content_size, status, attempts, max_attempts, worker, fencing_token,
        lease_expires_at, retry_at, chunks, parts, targets, first_document, first_commit, last_error, queued_at, changed_at,
        stream_version
        """

    private static func row(_ row: PostgresRow) throws -> IngestionTaskRow {
        let columns = try row.decode((String, String, Int32, String, Int64, String, Int32, Int32, String?, Int64?, Date?, Date?,
                                      Int64, Int64, Int32, String, String, String?, Date, Date, Int64).self)
        return IngestionTaskRow(
            taskID: columns.0, index: columns.1, version: Int(columns.2), contentSHA256: columns.3, contentSize: Int(columns.4),
            status: columns.5, attempts: Int(columns.6), maxAttempts: Int(columns.7), worker: columns.8, fencingToken: columns.9,
            leaseExpiresAt: columns.10, retryAt: columns.11, chunks: Int(columns.12), parts: Int(columns.13),
            targets: Int(columns.14), firstDocument: columns.15, firstCommit: columns.16, lastError: columns.17,
            queuedAt: columns.18, changedAt: columns.19, streamVersion: columns.20)
    }
}
