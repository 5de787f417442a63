import EventStore
import Foundation
import Logging
import PostgresNIO

extension EventStore {
    /// The number of events of `tenant` in the log (of one stream if given).
    public func count(tenant: String, stream: String? = nil) async throws -> Int {
        let rows = try await client.queryUnlessClosed("""
            SELECT count(*)::int8 FROM events
             WHERE tenant_id = \(tenant) AND (\(stream)::text IS NULL OR stream_id = \(stream))
            """, logger: Logger(label: "test"))
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }

    /// Whether `stream` of `tenant` is registered in `streams`.
    public func streamExists(tenant: String, stream: String) async throws -> Bool {
        let rows = try await client.query(
            "SELECT 1 FROM streams WHERE tenant_id = \(tenant) AND stream_id = \(stream)")
        for try await _ in rows { return true }
        return false
    }
}

/// Test events: a JSON payload that is a valid proto3 JSON object.
public func testEvent(_ note: String = "x", type: String = "LockAcquired", id: UUID = UUID()) -> NewEvent {
    NewEvent(id: id, type: type, data: "{\"holder\": \(JSONText.quoted(note))}",
             metadata: EventMetadata(actor: "test", correlationId: "c-1"))
}

extension EventStore {
    /// The cursor of the last event in the log, readable or not; nil when it is empty.
    public func head() async throws -> Cursor? {
        let head = try await committedHead()
        return head == .start ? nil : head
    }
}

/// The whole log of `store` (what `filter` selects), in cursor order, once log readers can
/// see every event committed before the call: a read right after a commit may not see it
/// yet while other transactions of the cluster come and go (docs/event-log.md, "One read
/// may come out lower").
public func wholeLog(_ store: EventStore, filter: LogFilter = LogFilter()) async throws -> [RecordedEvent] {
    if let head = try await store.head(), try await !store.waitUntilReadable(head, timeout: TestDatabase.horizonTimeout) {
        throw WaitTimedOut(description: "the log's head \(head) not readable within \(TestDatabase.horizonTimeout)")
    }
    var events: [RecordedEvent] = []
    var cursor = Cursor.start
    while true {
        let batch = try await store.readLog(after: cursor, filter: filter, limit: 10_000)
        guard let last = batch.last else { return events }
        events += batch
        cursor = last.cursor
    }
}
