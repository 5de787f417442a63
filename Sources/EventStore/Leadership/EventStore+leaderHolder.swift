import PostgresNIO

extension EventStore {
    /// The session holding the leader lock `objectID` (``LeaderLock``) of this database,
    /// if one does; nil when no process leads that role.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func leaderHolder(objectID: Int32) async throws -> LeaderHolder? {
        do {
            let rows = try await client.queryUnlessClosed("""
                SELECT a.pid, host(a.client_addr),
                       CASE WHEN a.state = 'idle' THEN extract(epoch FROM clock_timestamp() - a.state_change)::float8 END
                  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.locktype = 'advisory' AND l.granted AND l.classid::int8 = \(Int64(LeaderLock.eventloomClassID))
                   AND l.objid::int8 = \(Int64(objectID)) AND l.objsubid = 2
                   AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
                 LIMIT 1
                """, logger: logger)
            guard let (pid, address, idle) = try rows.first?.decode((Int32, String?, Double?).self) else { return nil }
            return LeaderHolder(pid: pid, clientAddress: address, idleSeconds: idle)
        } catch {
            throw readError(error)
        }
    }
}
