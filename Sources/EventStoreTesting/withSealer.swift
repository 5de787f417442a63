import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// Runs a sealer (a seal every `every` events or 200 ms) on `store` around `body`.
public func withSealer<T: Sendable>(_ store: EventStore, databaseURL: String, key: SealSigningKey, every: Int = 7,
                             _ body: @Sendable () async throws -> T) async throws -> T {
    var logger = Logger(label: "test.sealer")
    logger.logLevel = .warning
    let sealer = Sealer(store: store, key: key, every: every, interval: .milliseconds(200),
                        lockConnection: try DatabaseURL.connectionConfiguration(databaseURL), logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await sealer.run() }
        defer { group.cancelAll() }
        return try await body()
    }
}

/// Waits until a seal covers every event committed now, the seal log's own aside, and its
/// `LogSealed` is recorded. (Committed, not readable: on a busy server the horizon may not
/// have passed the last writes yet, and a seal covering less would do.)
///
/// The seal log's events are left out of the head because none of them is ever due a seal
/// of its own: when the sealer records a `LogSealed` before this call reads the head, the
/// newest event is that record, which only the next other event's seal will cover.
public func waitUntilSealed(_ store: EventStore) async throws {
    let head = try await store.committedHeadBesidesSeals()
    try await waitUntil(timeout: TestDatabase.horizonTimeout, "sealed through \(head)") {
        guard let seal = try await store.lastStoredSeal(), seal.through >= head else { return false }
        let recorded = try await store.readStream(tenant: StoredSeal.tenant, stream: LogSeal.stream, direction: .backwards, limit: 1)
        return (recorded.first?.streamVersion ?? 0) >= seal.record.sequence
    }
}

extension EventStore {
    /// The cursor of the newest committed event other than the seal log's, readable or not.
    func committedHeadBesidesSeals() async throws -> Cursor {
        let rows = try await client.queryUnlessClosed("""
            SELECT e.tx_id::text, e.global_position FROM events e
             WHERE NOT (e.tenant_id = \(StoredSeal.tenant) AND e.stream_id = \(LogSeal.stream))
             ORDER BY e.tx_id DESC, e.global_position DESC LIMIT 1
            """, logger: Logger(label: "test"))
        guard let row = rows.first else { return .start }
        let (tx, position) = try row.decode((String, Int64).self)
        return Cursor(transaction: UInt64(tx) ?? 0, position: position)
    }
}
