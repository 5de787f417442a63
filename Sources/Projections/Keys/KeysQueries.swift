import Foundation
import Logging
import PostgresNIO

/// The typed reads of the keys read model, on a connection its caller has prepared
/// (`eventloom.tenant` set; `*` for the lookups that span tenants).
public struct KeysQueries: ReadModelQueries {
    let connection: PostgresConnection
    let logger: Logger

    public init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// A key that can authenticate: active and not deleted (its expiry is the caller's to check).
    public struct ActiveKey: Sendable, Hashable {
        public let tenant: String
        public let keyID: String
        public let roles: [String]
        public let userID: String?
        public let expiresAt: Date?
    }

    /// The active, undeleted key whose secret hashes to `secretSHA256`, if any.
    public func activeKey(secretSHA256: [UInt8]) async throws -> ActiveKey? {
        let rows = try await connection.queryUnlessClosed("""
            SELECT tenant_id, key_id, roles, user_id, expires_at FROM projection_keys.keys
             WHERE secret_sha256 = \(Data(secretSHA256)) AND status = 'active' AND NOT deleted
            """, logger: logger)
        return try rows.first.map { row in
            let (tenant, keyID, roles, userID, expiresAt) = try row.decode((String, String, [String], String?, Date?).self)
            return ActiveKey(tenant: tenant, keyID: keyID, roles: roles, userID: userID, expiresAt: expiresAt)
        }
    }

    /// Active keys whose expiry is at or before `now`, soonest first: (tenant, key id).
    public func expiring(at now: Date, limit: Int) async throws -> [(tenant: String, keyID: String)] {
        try await connection.queryUnlessClosed("""
            SELECT tenant_id, key_id FROM projection_keys.keys
             WHERE status = 'active' AND expires_at <= \(now) ORDER BY expires_at LIMIT \(limit)
            """, logger: logger).map { try $0.decode((String, String).self) }
    }
}
