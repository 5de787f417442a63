import PostgresNIO

extension EventStore {
    /// Whether log readers can already see the event at `cursor`: its transaction is
    /// older than every transaction still running (see ``readLog(after:filter:limit:)``).
    public func isReadable(_ cursor: Cursor) async throws -> Bool {
        do {
            let rows = try await client.query("""
                SELECT \(String(cursor.transaction))::xid8 < (SELECT eventloom_log_horizon())
                """, logger: logger)
            for try await readable in rows.decode(Bool.self) { return readable }
            return false
        } catch {
            throw readError(error)
        }
    }

    /// Waits until log readers can see the event at `cursor`, up to `timeout`.
    /// - Returns: false if a transaction older than it was still running at the deadline.
    public func waitUntilReadable(_ cursor: Cursor, timeout: Duration = .seconds(5)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while try await !isReadable(cursor) {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}

extension EventStore {
    /// The cursor of the newest event log readers can see (``Cursor/start`` for an empty
    /// log): a follower that starts after it misses nothing that commits later.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func readableHead() async throws -> Cursor {
        do {
            let rows = try await client.query("""
                SELECT e.tx_id::text AS tx_text, e.global_position FROM events e
                 WHERE e.tx_id < (SELECT eventloom_log_horizon())
                 ORDER BY e.tx_id DESC, e.global_position DESC LIMIT 1
                """, logger: logger)
            for try await (tx, position) in rows.decode((String, Int64).self) {
                guard let transaction = UInt64(tx) else { break }
                return Cursor(transaction: transaction, position: position)
            }
            return .start
        } catch {
            throw readError(error)
        }
    }
}
