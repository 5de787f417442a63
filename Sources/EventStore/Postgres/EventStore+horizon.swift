import PostgresNIO

/// The oldest running log writer of this database: a transaction that declared itself able
/// to append (docs/event-log.md, "The horizon"). While it runs, log readers (projections,
/// the relay, live streams, read-your-writes waits) cannot read past it. Transactions that
/// never append, here or in other databases, do not hold readers back and are not named.
public struct HorizonHolder: Sendable, Equatable {
    public let pid: Int32
    /// Its database; nil when this role may not see it.
    public let database: String?
    /// How long its transaction has been running.
    public let seconds: Double
    /// `active`, `idle in transaction`, …; nil when this role may not see it.
    public let state: String?
}

extension EventStore {
    /// The oldest log writer holding back log readers, if one runs.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func horizonHolder() async throws -> HorizonHolder? {
        do {
            let rows = try await client.queryUnlessClosed("""
                SELECT a.pid, a.datname::text, extract(epoch FROM clock_timestamp() - a.xact_start)::float8, a.state
                  FROM pg_locks w JOIN pg_stat_activity a ON a.pid = w.pid
                 WHERE w.locktype = 'advisory' AND w.classid::int8 = \(Self.logWriterLock.classID)
                   AND w.objid::int8 = \(Self.logWriterLock.objectID) AND w.objsubid = 2
                   AND w.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
                   AND a.xact_start IS NOT NULL AND a.pid <> pg_backend_pid()
                 ORDER BY a.xact_start LIMIT 1
                """, logger: logger)
            guard let (pid, database, seconds, state) = try rows.first?.decode((Int32, String?, Double, String?).self)
            else { return nil }
            return HorizonHolder(pid: pid, database: database, seconds: seconds, state: state)
        } catch {
            throw readError(error)
        }
    }

    /// The highest horizon this store computed (``HorizonFloor``), for reads of the log
    /// written elsewhere (a projection's rebuild in SQL).
    public var horizonFloorValue: UInt64 { horizonFloor.value }

    /// The advisory lock a transaction holds (shared, until it ends) once it has declared
    /// itself a log writer: `eventloom_declare_log_writer()`, migration 0006.
    static let logWriterLock = (classID: Int64(LeaderLock.eventloomClassID), objectID: Int64(2))
}
