import PostgresNIO

extension EventStore {
    /// Whether log readers can already see the event at `cursor`: its transaction is
    /// older than every transaction still running (see ``readLog(after:filter:limit:)``).
    public func isReadable(_ cursor: Cursor) async throws -> Bool {
        do {
            let rows = try await client.query("""
                SELECT \(String(cursor.transaction))::xid8 < pg_snapshot_xmin(pg_current_snapshot())
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
