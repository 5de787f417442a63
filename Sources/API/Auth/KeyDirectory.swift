import Domain
import EventStore
import Foundation
import Projections
import Synchronization

/// Finds the caller a presented key stands for: the bootstrap admin key, or a key of the
/// keys read model that is active, not deleted and not past its expiry. Lookups are cached for
/// two seconds, so a revocation or disabling takes effect within about two seconds of being
/// projected; an expiry is checked against the clock on every request, cached or not, so a key
/// stops at its `expires_at`.
final class KeyDirectory: Sendable {
    private typealias Entry = (caller: Caller?, expiresAt: Date?, until: ContinuousClock.Instant)
    private let adminKeyHash: [UInt8]?
    private let database: TenantDatabase
    private let clock: WallClock
    private let cache = Mutex<[[UInt8]: Entry]>([:])

    init(adminKey: String?, database: TenantDatabase, clock: WallClock) {
        self.adminKeyHash = adminKey.map(KeySecret.sha256)
        self.database = database
        self.clock = clock
    }

    /// The caller for `secret`; nil for an unknown or revoked key.
    func caller(for secret: String) async throws -> Caller? {
        let hash = KeySecret.sha256(secret)
        if let adminKeyHash, Self.equalInConstantTime(hash, adminKeyHash) {
            return Caller(tenant: APIConfiguration.systemTenant, keyID: "admin", roles: Set(KeyRole.allCases))
        }
        let now = ContinuousClock.now
        let entry: Entry
        if let cached = cache.withLock({ $0[hash] }), cached.until > now {
            entry = cached
        } else {
            let found = try await lookUp(hash)
            entry = (found?.caller, found?.expiresAt, now + .seconds(2))
            cache.withLock { cache in
                if cache.count > 10_000 { cache.removeAll() }
                cache[hash] = entry
            }
        }
        if let expiresAt = entry.expiresAt, expiresAt <= clock.now() { return nil }
        return entry.caller
    }

    private func lookUp(_ hash: [UInt8]) async throws -> (caller: Caller, expiresAt: Date?)? {
        do {
            return try await query(hash)
        } catch let error as EventStoreError where error.isMissingTable {
            var problem = APIError(.serviceUnavailable, "keys-not-built", "Keys read model not built",
                                   detail: "the keys read model does not exist yet: run eventloom project (or eventloom dev)")
            problem.headers[.retryAfter] = "5"
            throw problem
        }
    }

    private func query(_ hash: [UInt8]) async throws -> (caller: Caller, expiresAt: Date?)? {
        let key = try await database.queries(KeysQueries.self, as: "*") { try await $0.activeKey(secretSHA256: hash) }
        return key.map { key in
            (Caller(tenant: key.tenant, keyID: key.keyID, roles: Set(key.roles.compactMap(KeyRole.init(rawValue:))), userID: key.userID),
             key.expiresAt)
        }
    }

    private static func equalInConstantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
