import Foundation
import Logging
import PostgresNIO

/// The typed reads of the locks read model, on a connection its caller has prepared
/// (`eventloom.tenant` set; `*` for the expiry reactor's lookup across tenants).
public struct LocksQueries: ReadModelQueries {
    let connection: PostgresConnection
    let logger: Logger

    public init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }


    /// The lock on `resource` with its queue (waiters still waiting at `now`); nil when nothing was recorded about it.
    public func lock(tenant: String, resource: String, now: Date) async throws -> LockRow? {
        let rows = try await connection.queryUnlessClosed("""
            SELECT l.resource, l.holder, l.fencing_token, l.since, l.expires_at, l.last_token, l.last_change,
                   l.changed_at, l.stream_version, 0::int8
              FROM projection_locks.locks l WHERE l.tenant_id = \(tenant) AND l.resource = \(resource)
            """, logger: logger)
        guard var lock = try rows.map(Self.row).first else { return nil }
        lock.waiters = try await connection.queryUnlessClosed("""
            SELECT waiter_id, owner, ttl_ms, queued_at, give_up_at FROM projection_locks.lock_waiters
             WHERE tenant_id = \(tenant) AND resource = \(resource) AND give_up_at > \(now)
             ORDER BY position
            """, logger: logger).map { row in
            let (id, owner, ttl, queuedAt, giveUpAt) = try row.decode((String, String, Int64, Date, Date).self)
            return LockRow.Waiter(waiterID: id, owner: owner, ttlMilliseconds: ttl, queuedAt: queuedAt, giveUpAt: giveUpAt)
        }
        lock.waiterCount = lock.waiters.count
        return lock
    }

    /// A page of `tenant`'s locks by resource name.
    public func list(tenant: String, _ filter: LockListFilter) async throws -> [LockRow] {
        let held: Int32 = filter.held.map { $0 ? 1 : 0 } ?? -1
        let pattern = filter.prefix.map { Self.likePrefix($0) }
        return try await connection.queryUnlessClosed("""
            SELECT l.resource, l.holder, l.fencing_token, l.since, l.expires_at, l.last_token, l.last_change,
                   l.changed_at, l.stream_version,
                   (SELECT count(*) FROM projection_locks.lock_waiters w
                     WHERE w.tenant_id = l.tenant_id AND w.resource = l.resource AND w.give_up_at > \(filter.now))
              FROM projection_locks.locks l
             WHERE l.tenant_id = \(tenant)
               AND (\(filter.holder)::text IS NULL OR (l.holder = \(filter.holder) AND l.expires_at > \(filter.now)))
               AND (\(held) = -1 OR (l.holder IS NOT NULL AND l.expires_at > \(filter.now)) = (\(held) = 1))
               AND (\(pattern)::text IS NULL OR l.resource LIKE \(pattern))
               AND (\(filter.after)::text IS NULL OR l.resource > \(filter.after))
             ORDER BY l.resource LIMIT \(filter.limit)
            """, logger: logger).map(Self.row)
    }

    /// Locks whose grant ran out by `now` without a recorded expiry, soonest first: (tenant, resource).
    public func expiring(at now: Date, limit: Int) async throws -> [(tenant: String, resource: String)] {
        try await connection.queryUnlessClosed("""
            SELECT tenant_id, resource FROM projection_locks.locks
             WHERE holder IS NOT NULL AND expires_at <= \(now) ORDER BY expires_at LIMIT \(limit)
            """, logger: logger).map { try $0.decode((String, String).self) }
    }

    /// The earliest recorded grant's expiry still to come after `now`, across tenants.
    public func nextExpiry(after now: Date) async throws -> Date? {
        try await connection.queryUnlessClosed("""
            SELECT min(expires_at) FROM projection_locks.locks WHERE holder IS NOT NULL AND expires_at > \(now)
            """, logger: logger).first?.decode(Date?.self)
    }

    private static func row(_ row: PostgresRow) throws -> LockRow {
        let (resource, holder, token, since, expiresAt, lastToken, lastChange, changedAt, version, waiters) =
            try row.decode((String, String?, Int64?, Date?, Date?, Int64, String, Date, Int64, Int64).self)
        var grant: LockRow.Grant?
        if let holder, let token, let since, let expiresAt {
            grant = LockRow.Grant(holder: holder, token: token, since: since, expiresAt: expiresAt)
        }
        return LockRow(resource: resource, grant: grant, lastToken: lastToken, lastChange: lastChange, changedAt: changedAt,
                       streamVersion: version, waiterCount: Int(waiters))
    }

    /// `prefix` as a LIKE pattern matching names that start with it (its wildcards escaped).
    private static func likePrefix(_ prefix: String) -> String {
        prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
