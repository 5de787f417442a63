import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// The search figures of every serving process and the clients' feedback (tables
/// `search_figures` and `search_feedback`, owned by the search read model): what the
/// rollout analysis weighs (docs/indexes.md, "Analysis").
public struct SearchFigures: Sendable {
    let store: EventStore
    let logger: Logger

    public init(store: EventStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Adds `tallies` to what `processID` recorded before, in one transaction.
    /// - Throws: ``EventStoreError`` `unavailable` (nothing of it is then recorded).
    public func add(_ tallies: [SearchTally.Key: SearchTally.Counts], processID: String) async throws {
        guard !tallies.isEmpty else { return }
        try await store.withTransaction { connection in
            for (key, counts) in tallies.sorted(by: { $0.key.period < $1.key.period }) {
                try await EventStore.run("""
                    INSERT INTO search_figures AS f (tenant_id, index_name, version, period, process_id, searches, errors, latency)
                    VALUES (\(key.version.tenant), \(key.version.index), \(Int32(key.version.version)), \(key.period), \(processID),
                            \(counts.searches), \(counts.errors), \(counts.latency))
                    ON CONFLICT (tenant_id, index_name, version, period, process_id) DO UPDATE
                       SET searches = f.searches + excluded.searches, errors = f.errors + excluded.errors,
                           latency = ARRAY(SELECT a + b FROM unnest(f.latency, excluded.latency) AS t(a, b))
                    """, on: connection, logger: logger)
            }
        }
    }

    /// Records feedback on search `searchID` of `version`, once.
    /// - Returns: false when that search's feedback was recorded before (nothing changes).
    public func addFeedback(tenant: String, index: String, searchID: String, version: Int, positive: Bool, at: Date)
        async throws -> Bool
    {
        try await store.withTransaction { connection in
            let rows = try await connection.queryUnlessClosed("""
                INSERT INTO search_feedback (tenant_id, index_name, search_id, version, positive, reported_at)
                VALUES (\(tenant), \(index), \(searchID), \(Int32(version)), \(positive), \(at))
                ON CONFLICT (tenant_id, index_name, search_id) DO NOTHING
                RETURNING 1
                """, logger: logger)
            return !rows.isEmpty
        }
    }

    /// The figures of `version` since `since`: searches, errors and p99 latency summed over
    /// every process from the 10-second period `since` falls in, and the feedback reported
    /// since.
    public func figures(_ version: VersionKey, since: Date) async throws -> VersionFigures {
        do {
            var searches: Int64 = 0
            var errors: Int64 = 0
            var latency = [Int64](repeating: 0, count: SearchLatency.buckets)
            let rows = try await store.client.queryUnlessClosed("""
                SELECT searches, errors, latency FROM search_figures
                 WHERE tenant_id = \(version.tenant) AND index_name = \(version.index) AND version = \(Int32(version.version))
                   AND period >= \(SearchTally.period(of: since))
                """, logger: logger)
            for row in rows {
                let (rowSearches, rowErrors, rowLatency) = try row.decode((Int64, Int64, [Int64]).self)
                searches += rowSearches
                errors += rowErrors
                for (index, count) in rowLatency.prefix(latency.count).enumerated() { latency[index] += count }
            }
            let feedback = try await store.client.queryUnlessClosed("""
                SELECT count(*)::int8, count(*) FILTER (WHERE positive)::int8 FROM search_feedback
                 WHERE tenant_id = \(version.tenant) AND index_name = \(version.index) AND version = \(Int32(version.version))
                   AND reported_at >= \(since)
                """, logger: logger)
            var (reports, positive): (Int64, Int64) = (0, 0)
            if let row = feedback.first { (reports, positive) = try row.decode((Int64, Int64).self) }
            return VersionFigures(searches: Int(searches), errors: Int(errors), p99LatencyMs: SearchLatency.p99Milliseconds(latency),
                                  feedback: Int(reports), positiveFeedback: Int(positive))
        } catch {
            throw store.readError(error)
        }
    }

    /// Removes figures and feedback older than `before`.
    public func prune(before: Date) async throws {
        try await store.withTransaction { connection in
            try await EventStore.run("DELETE FROM search_figures WHERE period < \(before)", on: connection, logger: logger)
            try await EventStore.run("DELETE FROM search_feedback WHERE reported_at < \(before)", on: connection, logger: logger)
        }
    }
}
