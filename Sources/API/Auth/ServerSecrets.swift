import Crypto
import EventStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The server's own secrets (table `server_secrets`), each created on first use by
/// whichever process gets there first, then read by all; cached for the process's life.
final class ServerSecrets: Sendable {
    private let store: EventStore
    private let logger: Logger
    /// The secrets read so far, by name (a handful: one per use below).
    private let cache = Mutex<[String: Data]>([:])

    init(store: EventStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// The key under which idempotently issued API keys are derived (256 random bits).
    func keyDerivation() async throws -> SymmetricKey { try await key(named: "key-derivation") }

    /// The key search ids are signed with, so that feedback names only searches this
    /// server answered (256 random bits).
    func searchIDSigning() async throws -> SymmetricKey { try await key(named: "search-ids") }

    private func key(named name: String) async throws -> SymmetricKey {
        if let secret = cache.withLock({ $0[name] }) { return SymmetricKey(data: secret) }
        let secret = try await secret(named: name)
        cache.withLock { $0[name] = secret }
        return SymmetricKey(data: secret)
    }

    private func secret(named name: String) async throws -> Data {
        var generator = SystemRandomNumberGenerator()
        let candidate = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        do {
            let rows = try await store.client.queryUnlessClosed("""
                WITH created AS (
                    INSERT INTO server_secrets (name, secret) VALUES (\(name), \(candidate))
                    ON CONFLICT (name) DO NOTHING RETURNING secret
                )
                SELECT secret FROM created UNION ALL SELECT secret FROM server_secrets WHERE name = \(name)
                """, logger: logger)
            guard let row = rows.first else { throw EventStoreError(.internalError, "server secret \(name) missing") }
            return try row.decode(Data.self)
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw store.readError(error)
        }
    }
}
