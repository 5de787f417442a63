import Foundation
import PostgresNIO

/// A stream's state saved at a version, in an encoding named by `kind` (e.g. "Budget/1").
public struct Snapshot: Sendable, Equatable {
    public let kind: String
    public let version: Int64
    public let state: Data

    public init(kind: String, version: Int64, state: Data) {
        self.kind = kind
        self.version = version
        self.state = state
    }
}

extension EventStore {
    /// The latest snapshot of `stream` if it has `kind`; nil when there is none or another kind.
    /// - Throws: ``EventStoreError`` `invalidInput`, `unavailable`.
    public func snapshot(tenant: String, stream: String, kind: String) async throws -> Snapshot? {
        guard Identifiers.isValidTenant(tenant), Identifiers.isValidStream(stream) else {
            throw EventStoreError.invalid("invalid tenant or stream id")
        }
        do {
            let rows = try await client.queryUnlessClosed("""
                SELECT version, state FROM snapshots
                 WHERE tenant_id = \(tenant) AND stream_id = \(stream) AND kind = \(kind)
                """, logger: logger)
            guard let (version, state) = try rows.first?.decode((Int64, Data).self) else { return nil }
            return Snapshot(kind: kind, version: version, state: state)
        } catch {
            throw readError(error)
        }
    }

    /// Saves `snapshot` of `stream` unless a snapshot at the same or a later version is there.
    /// - Throws: ``EventStoreError`` `invalidInput`, `unavailable`.
    public func saveSnapshot(_ snapshot: Snapshot, tenant: String, stream: String) async throws {
        guard Identifiers.isValidTenant(tenant), Identifiers.isValidStream(stream), snapshot.version > 0 else {
            throw EventStoreError.invalid("invalid tenant, stream id or snapshot version")
        }
        do {
            try await client.queryUnlessClosed("""
                INSERT INTO snapshots (tenant_id, stream_id, kind, version, state)
                VALUES (\(tenant), \(stream), \(snapshot.kind), \(snapshot.version), \(snapshot.state))
                ON CONFLICT (tenant_id, stream_id) DO UPDATE
                   SET kind = EXCLUDED.kind, version = EXCLUDED.version, state = EXCLUDED.state, taken_at = now()
                 WHERE snapshots.version < EXCLUDED.version OR snapshots.kind <> EXCLUDED.kind
                """, logger: logger)
        } catch {
            throw readError(error)
        }
    }
}

extension EventStore {
    /// The current version of each of `streams` (0 for a stream with no events).
    /// - Throws: ``EventStoreError`` `invalidInput`, `unavailable`.
    public func versions(tenant: String, streams: [String]) async throws -> [String: Int64] {
        guard Identifiers.isValidTenant(tenant), streams.count <= limits.maximumStreams * 10,
              streams.allSatisfy(Identifiers.isValidStream) else {
            throw EventStoreError.invalid("invalid tenant or stream ids")
        }
        do {
            let rows = try await client.queryUnlessClosed("""
                SELECT s.stream, coalesce((SELECT max(e.stream_version) FROM events e
                                            WHERE e.tenant_id = \(tenant) AND e.stream_id = s.stream), 0)
                  FROM unnest(\(streams)::text[]) AS s(stream)
                """, logger: logger)
            var versions: [String: Int64] = [:]
            for row in rows {
                let (stream, version) = try row.decode((String, Int64).self)
                versions[stream] = version
            }
            return versions
        } catch {
            throw readError(error)
        }
    }
}
