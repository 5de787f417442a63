import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO
import Projections
import ServiceLifecycle

/// Expires, on time, reservations past their time to live (refunding their holds), keys
/// past their expiry and lock grants past their time to live (handing each lock to its
/// first waiter). It finds them in the quotas, keys and locks read models every `interval`
/// and decides each through the ledger or the aggregate's decider, so running it twice, or
/// in two processes, records each expiry once. A lock's expiry does not wait for it: an
/// acquire after the grant ran out records the expiry itself.
public struct ExpiryReactor: Service {
    let store: EventStore
    let ledger: QuotaLedger
    let interval: Duration
    let logger: Logger
    /// The most reservations and keys one round expires (the next round takes the rest).
    static let batch = 500

    public init(store: EventStore, ledger: QuotaLedger, interval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.ledger = ledger
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval) { await runOnce() }
    }

    /// One round: everything due at the ledger's clock. A failure is logged and retried
    /// next round; it never holds back the other reservations and keys due.
    public func runOnce() async {
        let now = ledger.clock.now()
        let metadata = EventMetadata(actor: "eventloom:expiry")
        for (tenant, id) in await due("reservations", { try await QuotasQueries($0, logger: logger).reservationsExpiring(at: now, limit: Self.batch) }) {
            await attempt("reservation \(id) of \(tenant)") {
                _ = try await ledger.expire(tenant: tenant, reservationID: id, now: now, metadata: metadata)
            }
        }
        for (tenant, id) in await due("keys", { try await KeysQueries($0, logger: logger).expiring(at: now, limit: Self.batch) }) {
            await attempt("key \(id) of \(tenant)") {
                _ = try await CommandHandler(store: store, decider: Key.self).handle(
                    .expire(now: now), tenant: tenant, stream: Key.stream(id), metadata: metadata)
            }
        }
        for (tenant, resource) in await due("locks", { try await LocksQueries($0, logger: logger).expiring(at: now, limit: Self.batch) }) {
            await attempt("lock \(resource) of \(tenant)") {
                _ = try await CommandHandler(store: store, decider: Lock.self).handle(
                    .expire(now: now), tenant: tenant, stream: Lock.stream(resource), metadata: metadata)
            }
        }
    }

    private func attempt(_ what: String, _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch {
            logger.warning("expiry failed; retrying next round", metadata: ["of": "\(what)", "error": "\(String(reflecting: error))"])
        }
    }

    /// The (tenant, id) pairs `find` finds, across every tenant; none while the read
    /// model does not exist or the database does not answer (logged).
    private func due(_ what: String, _ find: (PostgresConnection) async throws -> [(String, String)]) async -> [(String, String)] {
        do {
            return try await store.withTransaction { connection in
                try await connection.queryUnlessClosed("SELECT set_config('eventloom.tenant', '*', true)", logger: logger)
                return try await find(connection)
            }
        } catch {
            let failure = store.readError(error)
            if failure.isMissingTable {
                logger.debug("expiry waits for the read model", metadata: ["of": "\(what)"])
            } else {
                logger.warning("expiry could not read what is due", metadata: ["of": "\(what)", "error": "\(String(reflecting: failure))"])
            }
            return []
        }
    }
}
