import PostgresNIO

/// The oldest running transaction of the cluster: while it runs, log readers (projections,
/// the relay, live streams) cannot read past it, wherever it is.
public struct HorizonHolder: Sendable, Equatable {
    public let pid: Int32
    /// Its database; nil when this role may not see it.
    public let database: String?
    /// How long it has been running.
    public let seconds: Double
    /// `active`, `idle in transaction`, …; nil when this role may not see it.
    public let state: String?
}

extension EventStore {
    /// The oldest transaction holding back log readers, if any runs.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func horizonHolder() async throws -> HorizonHolder? {
        do {
            let rows = try await client.query("""
                SELECT a.pid, a.datname::text, extract(epoch FROM clock_timestamp() - a.xact_start)::float8, a.state
                  FROM pg_stat_activity a
                 WHERE (a.backend_xmin IS NOT NULL OR a.backend_xid IS NOT NULL)
                   AND a.xact_start IS NOT NULL AND a.pid <> pg_backend_pid()
                 ORDER BY a.xact_start LIMIT 1
                """, logger: logger)
            for try await (pid, database, seconds, state) in rows.decode((Int32, String?, Double, String?).self) {
                return HorizonHolder(pid: pid, database: database, seconds: seconds, state: state)
            }
            return nil
        } catch {
            throw readError(error)
        }
    }
}
