import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// Writes one lock event into the locks read model's rows.
struct LockRowWriter {
    let tenant: String
    let resource: String
    let event: RecordedEvent
    let connection: PostgresConnection
    let logger: Logger

    func apply(_ lockEvent: LockEvent) async throws {
        try await touch(lockEvent)
        switch lockEvent {
        case .acquired(let grant):
            try await update("""
                UPDATE locks
                   SET holder = \(grant.owner), fencing_token = \(grant.token), since = \(grant.since),
                       expires_at = \(grant.expiresAt), last_token = greatest(last_token, \(grant.token))
                 WHERE tenant_id = \(tenant) AND resource = \(resource)
                """)
            if let waiterID = grant.waiterID { try await removeWaiter(waiterID) }
        case .renewed(let token, _, _, let expiresAt):
            try await update("""
                UPDATE locks SET expires_at = \(expiresAt)
                 WHERE tenant_id = \(tenant) AND resource = \(resource) AND fencing_token = \(token)
                """)
        case .released(let token, _, _), .forceReleased(let token, _, _, _, _), .expired(let token, _, _):
            try await update("""
                UPDATE locks SET holder = NULL, fencing_token = NULL, since = NULL, expires_at = NULL
                 WHERE tenant_id = \(tenant) AND resource = \(resource) AND fencing_token = \(token)
                """)
        case .queued(let waiter):
            try await update("""
                INSERT INTO lock_waiters
                       (tenant_id, resource, waiter_id, owner, ttl_ms, queued_at, give_up_at, position)
                VALUES (\(tenant), \(resource), \(waiter.id), \(waiter.owner), \(Int64((waiter.ttl * 1000).rounded())),
                        \(waiter.queuedAt), \(waiter.giveUpAt), \(event.streamVersion))
                ON CONFLICT (tenant_id, resource, waiter_id) DO NOTHING
                """)
        case .leftQueue(let waiterID, _, _):
            try await removeWaiter(waiterID)
        }
        // Waiters that gave up by the event's time leave the queue with it (as the decider folds).
        try await update("""
            DELETE FROM lock_waiters
             WHERE tenant_id = \(tenant) AND resource = \(resource) AND give_up_at <= \(lockEvent.time)
            """)
    }

    /// The lock's row exists, naming this event as its last change.
    private func touch(_ lockEvent: LockEvent) async throws {
        try await update("""
            INSERT INTO locks (tenant_id, resource, last_change, changed_at, stream_version)
            VALUES (\(tenant), \(resource), \(event.type), \(lockEvent.time), \(event.streamVersion))
            ON CONFLICT (tenant_id, resource) DO UPDATE
               SET last_change = excluded.last_change, changed_at = excluded.changed_at,
                   stream_version = excluded.stream_version
            """)
    }

    private func removeWaiter(_ waiterID: String) async throws {
        try await update("""
            DELETE FROM lock_waiters
             WHERE tenant_id = \(tenant) AND resource = \(resource) AND waiter_id = \(waiterID)
            """)
    }

    private func update(_ query: PostgresQuery) async throws {
        try await connection.queryUnlessClosed(query, logger: logger)
    }
}
