import PostgresNIO

extension EventStore {
    /// Whether log readers can already see the event at `cursor`: its transaction is
    /// older than every transaction still running (see ``readLog(after:filter:limit:)``).
    /// Answered without a query when a read of this store has already passed it.
    public func isReadable(_ cursor: Cursor) async throws -> Bool {
        let floor = horizonFloor.read()
        // Below a horizon already computed: no need to read the lock table again.
        if cursor.transaction < floor.value { return true }
        do {
            let rows = try await client.queryUnlessClosed("SELECT greatest((SELECT eventloom_log_horizon()), \(floor.sql)::xid8)::text", logger: logger)
            guard let text = try rows.first?.decode(String.self), let horizon = UInt64(text) else { return false }
            horizonFloor.raise(to: horizon, seen: floor)
            return cursor.transaction < horizon
        } catch {
            throw readError(error)
        }
    }

    /// Waits until log readers can see the event at `cursor`, up to `timeout`.
    ///
    /// No polling: it checks once, then on every commit notification of any process (the
    /// log writer that held the horizon notifies when it commits), and once a second for a
    /// writer that rolled back instead.
    /// - Returns: false if a log writer older than it was still running at the deadline.
    public func waitUntilReadable(_ cursor: Cursor, timeout: Duration = .seconds(5)) async throws -> Bool {
        let commits = wakeups.stream()   // before the first check: no commit is missed
        if try await isReadable(cursor) { return true }
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in commits where try await isReadable(cursor) { return true }
                return false
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: .seconds(1))
                    if try await isReadable(cursor) { return true }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return try await isReadable(cursor)
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
    }
}

extension EventStore {
    /// The cursor of the newest event log readers can see (``Cursor/start`` for an empty
    /// log): a follower that starts after it misses nothing that commits later.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func readableHead() async throws -> Cursor {
        do {
            let floor = horizonFloor.read()
            let rows = try await client.queryUnlessClosed("""
                WITH horizon AS MATERIALIZED (SELECT greatest((SELECT eventloom_log_horizon()), \(floor.sql)::xid8) AS h)
                SELECT horizon.h::text, e.tx_id::text AS tx_text, e.global_position FROM horizon
                  LEFT JOIN LATERAL (
                      SELECT e.tx_id, e.global_position FROM events e
                       WHERE e.tx_id < horizon.h ORDER BY e.tx_id DESC, e.global_position DESC LIMIT 1
                  ) e ON true
                """, logger: logger)
            guard let row = rows.first else { return .start }
            let (horizon, tx, position) = try row.decode((String, String?, Int64?).self)
            if let horizon = UInt64(horizon) { horizonFloor.raise(to: horizon, seen: floor) }
            guard let tx, let transaction = UInt64(tx), let position else { return .start }
            return Cursor(transaction: transaction, position: position)
        } catch {
            throw readError(error)
        }
    }
}

extension EventStore {
    /// The cursor of the newest committed event, readable yet or not (``Cursor/start`` for an
    /// empty log): no write of this log has returned a cursor beyond it.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func committedHead() async throws -> Cursor {
        do {
            let rows = try await client.queryUnlessClosed("""
                SELECT e.tx_id::text AS tx_text, e.global_position FROM events e
                 ORDER BY e.tx_id DESC, e.global_position DESC LIMIT 1
                """, logger: logger)
            guard let row = rows.first else { return .start }
            let (tx, position) = try row.decode((String, Int64).self)
            return Cursor(transaction: UInt64(tx) ?? 0, position: position)
        } catch {
            throw readError(error)
        }
    }
}
