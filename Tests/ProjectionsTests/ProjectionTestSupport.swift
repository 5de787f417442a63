import EventStore
import EventStoreTesting
import Logging
import PostgresNIO
import Projections
import Synchronization
import ProjectionsTesting
import Testing

/// Counts events per stream; fails on the event types in `failing` while they are there.
struct CountingProjection: Projection {
    let name = "counting"
    var version = 1
    let failing: FailingTypes

    init(version: Int = 1, failing: FailingTypes = FailingTypes()) {
        self.version = version
        self.failing = failing
    }

    func createTables(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            CREATE TABLE counts (tenant_id text NOT NULL, stream_id text NOT NULL, events int8 NOT NULL,
                                 last_type text NOT NULL, PRIMARY KEY (tenant_id, stream_id))
            """, logger: logger)
    }

    func createIndexes(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("CREATE INDEX counts_by_type ON counts (last_type)", logger: logger)
    }

    /// One statement per batch: a transaction of one round trip holds the cluster-wide log
    /// horizon only briefly, whatever else the test process is busy with.
    func erase(subject: String, tenant: String, on connection: PostgresConnection, logger: Logger) async throws {}

    func apply(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws {
        if let failed = events.first(where: { failing.contains($0.type) }) { throw TestFailure(type: failed.type) }
        try await connection.query("""
            INSERT INTO counts
            SELECT tenant, stream, count(*), (array_agg(type ORDER BY n DESC))[1]
              FROM unnest(\(events.map(\.tenant))::text[], \(events.map(\.stream))::text[], \(events.map(\.type))::text[])
                   WITH ORDINALITY AS e(tenant, stream, type, n)
             GROUP BY tenant, stream
            ON CONFLICT (tenant_id, stream_id) DO UPDATE SET events = counts.events + excluded.events, last_type = excluded.last_type
            """, logger: logger)
    }

    struct TestFailure: Error, CustomStringConvertible {
        let type: String
        var description: String { "cannot count \(type) events" }
    }
}

/// Event types a ``CountingProjection`` fails on, changed while it runs.
final class FailingTypes: Sendable {
    private let types: Mutex<Set<String>>

    init(_ types: Set<String> = []) { self.types = Mutex(types) }

    func contains(_ type: String) -> Bool { types.withLock { $0.contains(type) } }
    func removeAll() { types.withLock { $0.removeAll() } }
}

/// The rows of `query`, run as a system process (every tenant visible), as text lines.
func rows(_ store: EventStore, _ query: PostgresQuery, tenant: String = "*") async throws -> [String] {
    try await store.client.withTransaction(logger: Logger(label: "test")) { connection in
        try await connection.query("SELECT set_config('eventloom.tenant', \(tenant), true)", logger: Logger(label: "test"))
        var lines: [String] = []
        for try await row in try await connection.query(query, logger: Logger(label: "test")) {
            lines.append(try row.decode(String.self))
        }
        return lines
    }
}

/// Appends `count` events of `type` to stream `stream` of `tenant`; returns the last cursor.
@discardableResult
func append(_ store: EventStore, tenant: String = "acme", stream: String = "lock-1", type: String = "LockAcquired",
            count: Int = 1, metadata: EventMetadata = EventMetadata(actor: "alice")) async throws -> Cursor
{
    let events = (0..<count).map { _ in
        NewEvent(type: type, data: #"{"holder": "h"}"#, metadata: metadata)
    }
    let result = try await store.append(tenant: tenant, [StreamAppend(stream: stream, expected: .any, events: events)])
    return result.lastCursor
}
