import Domain
import EventStore
import Foundation
import PostgresNIO
import Synchronization

/// Finds the caller a presented key stands for: the bootstrap admin key, or a key of the
/// keys read model that is active, not deleted and not past its expiry. Lookups are cached for two seconds, so a
/// revocation, disabling or expiry takes effect within about two seconds of being projected.
final class KeyDirectory: Sendable {
    private let adminKeyHash: [UInt8]?
    private let database: TenantDatabase
    private let cache = Mutex<[[UInt8]: (caller: Caller?, until: ContinuousClock.Instant)]>([:])

    init(adminKey: String?, database: TenantDatabase) {
        self.adminKeyHash = adminKey.map(KeySecret.sha256)
        self.database = database
    }

    /// The caller for `secret`; nil for an unknown or revoked key.
    func caller(for secret: String) async throws -> Caller? {
        let hash = KeySecret.sha256(secret)
        if let adminKeyHash, Self.equalInConstantTime(hash, adminKeyHash) {
            return Caller(tenant: APIConfiguration.systemTenant, keyID: "admin", roles: Set(KeyRole.allCases))
        }
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0[hash] }), cached.until > now { return cached.caller }
        let caller = try await lookUp(hash)
        cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[hash] = (caller, now + .seconds(2))
        }
        return caller
    }

    private func lookUp(_ hash: [UInt8]) async throws -> Caller? {
        do {
            return try await query(hash)
        } catch let error as EventStoreError where error.isMissingTable {
            var problem = APIError(.serviceUnavailable, "keys-not-built", "Keys read model not built",
                                   detail: "the keys read model does not exist yet: run eventloom project (or eventloom dev)")
            problem.headers[.retryAfter] = "5"
            throw problem
        }
    }

    private func query(_ hash: [UInt8]) async throws -> Caller? {
        try await database.read(as: "*") { connection in
            let rows = try await connection.query("""
                SELECT tenant_id, key_id, roles, user_id FROM projection_keys.keys
                 WHERE secret_sha256 = \(Data(hash)) AND status = 'active' AND NOT deleted
                   AND (expires_at IS NULL OR expires_at > now())
                """, logger: database.logger)
            for try await (tenant, keyID, roles, userID) in rows.decode((String, String, [String], String?).self) {
                return Caller(tenant: tenant, keyID: keyID, roles: Set(roles.compactMap(KeyRole.init(rawValue:))), userID: userID)
            }
            return nil
        }
    }

    private static func equalInConstantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
