import Foundation
import PostgresNIO

extension EventStore {
    /// The most events one read returns.
    public static let maximumReadLimit = 10_000

    /// Up to `limit` events of one stream, from version `from` (inclusive) forwards or backwards.
    /// - Throws: ``EventStoreError`` `invalidInput` for a bad id or limit, `unavailable`.
    public func readStream(
        tenant: String, stream: String, direction: ReadDirection = .forwards,
        from version: Int64? = nil, limit: Int = 1_000
    ) async throws -> [RecordedEvent] {
        guard Identifiers.isValidTenant(tenant), Identifiers.isValidStream(stream) else {
            throw EventStoreError.invalid("invalid tenant or stream id")
        }
        let limit = try Self.checked(limit)
        let query: PostgresQuery = switch direction {
        case .forwards: """
            SELECT \(unescaped: RecordedEvent.columns) FROM events e
             WHERE e.tenant_id = \(tenant) AND e.stream_id = \(stream) AND e.stream_version >= \(version ?? 1)
             ORDER BY e.stream_version LIMIT \(limit)
            """
        case .backwards: """
            SELECT \(unescaped: RecordedEvent.columns) FROM events e
             WHERE e.tenant_id = \(tenant) AND e.stream_id = \(stream) AND e.stream_version <= \(version ?? Int64.max)
             ORDER BY e.stream_version DESC LIMIT \(limit)
            """
        }
        return try await events(query)
    }

    /// Up to `limit` events after `cursor` that `filter` selects, in cursor order.
    ///
    /// Only events below the log's horizon are returned (docs/event-log.md, "The horizon"),
    /// never below the highest horizon this store computed before (``HorizonFloor``): an
    /// event that commits late is never behind a cursor already handed out, and an event
    /// once reported readable, or returned by a read, is in every later read of this store.
    /// - Throws: ``EventStoreError`` `invalidInput` for a bad limit, `unavailable`.
    public func readLog(after cursor: Cursor, filter: LogFilter = .all, limit: Int = 1_000) async throws -> [RecordedEvent] {
        try await readLog(after: cursor, filter: filter, limit: Self.checked(limit), floor: horizonFloor.read(), computingHorizon: true)
    }

    /// Up to `limit` events after `cursor` that `filter` selects, as far as `returned`, a
    /// cursor a read of this store returned (a follower of the log handed it out), and
    /// perhaps further.
    ///
    /// When the store's floor (``HorizonFloor``) is already past `returned`, this reads
    /// below the floor without computing the horizon again: computing it reads PostgreSQL's
    /// lock table, and a burst of such reads (a hundred live clients catching up at once)
    /// holds up appends. Otherwise (the floor was forgotten when the database was lost) it
    /// is ``readLog(after:filter:limit:)``. Events past the floor are the follower's.
    /// - Throws: ``EventStoreError`` `invalidInput` for a bad limit, `unavailable`.
    public func readLog(after cursor: Cursor, through returned: Cursor, filter: LogFilter = .all,
                        limit: Int = 1_000) async throws -> [RecordedEvent] {
        let floor = horizonFloor.read()
        return try await readLog(after: cursor, filter: filter, limit: Self.checked(limit), floor: floor,
                                 computingHorizon: floor.value <= returned.transaction)
    }

    private func readLog(after cursor: Cursor, filter: LogFilter, limit: Int, floor: HorizonFloor.Reading,
                         computingHorizon: Bool) async throws -> [RecordedEvent] {
        // NULL when not computed: greatest() ignores it.
        let horizon = computingHorizon ? "(SELECT eventloom_log_horizon())" : "NULL::xid8"
        let read = try await events("""
            SELECT \(unescaped: RecordedEvent.columns) FROM events e
             WHERE (e.tx_id, e.global_position) > (\(String(cursor.transaction))::xid8, \(cursor.position))
               AND e.tx_id < greatest(\(unescaped: horizon), \(floor.sql)::xid8)
               AND (\(filter.tenant)::text IS NULL OR e.tenant_id = \(filter.tenant))
               AND (\(filter.category)::text IS NULL OR e.category = \(filter.category))
               AND (\(filter.types)::text[] IS NULL OR e.type = ANY(\(filter.types)))
             ORDER BY e.tx_id, e.global_position
             LIMIT \(limit)
            """)
        // The read's horizon was above its newest event's transaction, and anything below a
        // horizon is below every later one: the next reads, say a new live client's
        // catch-up, must not dip below what this one returned (a follower may hand it out).
        if let newest = read.last { horizonFloor.raise(to: newest.cursor.transaction + 1, seen: floor) }
        return read
    }

    func events(_ query: PostgresQuery) async throws -> [RecordedEvent] {
        do {
            var events: [RecordedEvent] = []
            for row in try await client.queryUnlessClosed(query, logger: logger) {
                events.append(try RecordedEvent(row: row))
            }
            return events
        } catch {
            throw readError(error)
        }
    }

    /// What a failed read means for callers: `unavailable` for connection trouble (retry),
    /// `internalError` otherwise (logged here with the database's details).
    public func readError(_ error: any Error) -> EventStoreError {
        if let error = error as? EventStoreError {
            // Already a store error (a connection found closed before the statement was sent).
            if error.code == .unavailable { horizonFloor.reset() }
            return error
        }
        let failure = DatabaseFailure(error)
        if case .readModelOutdated = failure {
            logger.warning("read model older than the server's code", metadata: ["error": "\(DatabaseFailure.summary(error))"])
        }
        if case .unavailable = failure { horizonFloor.reset() }
        if let general = failure.generalError(error) { return general }
        if Task.isCancelled { return EventStoreError(.unavailable, "the read was cancelled", underlying: error) }
        logger.error("read failed", metadata: ["error": "\(DatabaseFailure.summary(error))"])
        return EventStoreError(.internalError, "the read failed", underlying: error)
    }

    static func checked(_ limit: Int) throws -> Int {
        guard (1...maximumReadLimit).contains(limit) else {
            throw EventStoreError.invalid("limit must be between 1 and \(maximumReadLimit)")
        }
        return limit
    }
}
