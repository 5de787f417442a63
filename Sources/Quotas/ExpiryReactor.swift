import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Expires, on time, reservations past their time to live (refunding their holds) and
/// keys past their expiry. It finds them in the quotas and keys read models every
/// `interval` and decides each through the ledger or the key's decider, so running it
/// twice, or in two processes, records each expiry once.
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
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await runOnce()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One round: everything due now. Failures are logged and retried next round.
    public func runOnce() async {
        let now = Date()
        do {
            for (tenant, id) in try await due(Self.reservationsDue) {
                _ = try await ledger.expire(tenant: tenant, reservationID: id, now: now,
                                            metadata: EventMetadata(actor: "eventloom:expiry"))
            }
            for (tenant, id) in try await due(Self.keysDue) {
                _ = try await CommandHandler(store: store, decider: Key.self).handle(
                    .expire(now: now), tenant: tenant, stream: Key.stream(id), metadata: EventMetadata(actor: "eventloom:expiry"))
            }
        } catch let error as EventStoreError where Self.isMissingReadModel(error) {
            logger.debug("expiry waits for the quotas and keys read models", metadata: ["error": "\(error)"])
        } catch {
            logger.warning("expiry round failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private static let reservationsDue: PostgresQuery = """
        SELECT tenant_id, reservation_id FROM projection_quotas.reservations
         WHERE status = 'open' AND expires_at <= now() ORDER BY expires_at LIMIT \(batch)
        """

    private static let keysDue: PostgresQuery = """
        SELECT tenant_id, key_id FROM projection_keys.keys
         WHERE status = 'active' AND expires_at <= now() ORDER BY expires_at LIMIT \(batch)
        """

    /// The (tenant, id) pairs `query` finds, across every tenant.
    private func due(_ query: PostgresQuery) async throws -> [(String, String)] {
        do {
            return try await store.client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT set_config('eventloom.tenant', '*', true)", logger: logger)
                var pairs: [(String, String)] = []
                for try await pair in try await connection.query(query, logger: logger).decode((String, String).self) {
                    pairs.append(pair)
                }
                return pairs
            }
        } catch let error as PostgresTransactionError {
            throw store.readError(error.closureError ?? error)
        }
    }

    private static func isMissingReadModel(_ error: EventStoreError) -> Bool {
        (error.underlying as? PSQLError)?.serverInfo?[.sqlState] == "42P01"
    }
}
