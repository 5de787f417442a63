import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// The keys read model: every API key, its tenant, roles, secret hash, profile and where
/// it is in its life. The API authenticates requests against it.
public struct KeysProjection: Projection {
    public let name = "keys"
    public let version = 2
    public let eventTypes: Set<String>? = KeyEvent.typeNames

    public init() {}

    public func createTables(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.queryUnlessClosed("""
            CREATE TABLE keys (
                tenant_id      text        NOT NULL,
                key_id         text        NOT NULL,
                name           text        NOT NULL,
                roles          text[]      NOT NULL,
                secret_sha256  bytea       NOT NULL UNIQUE,
                user_id        text,
                department_id  text,
                price_group    text        NOT NULL,
                allowed_models text[]      NOT NULL,
                expires_at     timestamptz,
                status         text        NOT NULL,
                deleted        boolean     NOT NULL DEFAULT false,
                issued_at      timestamptz NOT NULL,
                changed_at     timestamptz NOT NULL,
                revoked_at     timestamptz,
                PRIMARY KEY (tenant_id, key_id)
            )
            """, logger: logger)
        try await connection.queryUnlessClosed("ALTER TABLE keys ENABLE ROW LEVEL SECURITY", logger: logger)
        try await connection.queryUnlessClosed("ALTER TABLE keys FORCE ROW LEVEL SECURITY", logger: logger)
        try await connection.queryUnlessClosed("""
            CREATE POLICY tenant_rows ON keys
                USING (eventloom_visible_tenant(tenant_id)) WITH CHECK (eventloom_visible_tenant(tenant_id))
            """, logger: logger)
    }

    public func createIndexes(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.queryUnlessClosed("""
            CREATE INDEX keys_expiring ON keys (expires_at) WHERE status = 'active' AND expires_at IS NOT NULL
            """, logger: logger)
    }

    /// Keys hold no personal data (ids and roles only).
    public func erase(subject: String, tenant: String, on connection: PostgresConnection, logger: Logger) async throws {}

    public func apply(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws {
        for event in events {
            switch try event.decode(as: KeyEvent.self) {
            case .issued(let profile, let at):
                try await insert(profile, at: at, tenant: event.tenant, on: connection, logger: logger)
            case .revoked(let keyID, let at):
                try await set(status: "revoked", keyID, at, event, connection, logger, revoked: true)
            case .disabled(let keyID, let at): try await set(status: "disabled", keyID, at, event, connection, logger)
            case .enabled(let keyID, let at): try await set(status: "active", keyID, at, event, connection, logger)
            case .expired(let keyID, let at): try await set(status: "expired", keyID, at, event, connection, logger)
            case .deleted(let keyID, let at): try await set(deleted: true, keyID, at, event, connection, logger)
            case .restored(let keyID, let at): try await set(deleted: false, keyID, at, event, connection, logger)
            case .renewed(let keyID, let expiresAt, let at):
                try await connection.queryUnlessClosed("""
                    UPDATE keys SET expires_at = \(expiresAt),
                           status = CASE status WHEN 'expired' THEN 'active' ELSE status END,
                           changed_at = \(at)
                     WHERE tenant_id = \(event.tenant) AND key_id = \(keyID)
                    """, logger: logger)
            }
        }
    }

    private func insert(_ profile: KeyProfile, at: Date, tenant: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.queryUnlessClosed("""
            INSERT INTO keys (tenant_id, key_id, name, roles, secret_sha256, user_id, department_id, price_group,
                              allowed_models, expires_at, status, issued_at, changed_at)
            VALUES (\(tenant), \(profile.keyID), \(profile.name), \(profile.roles.map(\.rawValue)), \(Data(profile.secretSHA256)),
                    \(profile.userID), \(profile.departmentID), \(profile.group), \(profile.allowedModels),
                    \(profile.expiresAt), 'active',
                    \(at), \(at))
            """, logger: logger)
    }

    private func set(status: String, _ keyID: String, _ at: Date, _ event: RecordedEvent, _ connection: PostgresConnection,
                     _ logger: Logger, revoked: Bool = false) async throws {
        try await connection.queryUnlessClosed("""
            UPDATE keys SET status = \(status), changed_at = \(at),
                   revoked_at = CASE WHEN \(revoked) THEN \(at) ELSE revoked_at END
             WHERE tenant_id = \(event.tenant) AND key_id = \(keyID)
            """, logger: logger)
    }

    private func set(deleted: Bool, _ keyID: String, _ at: Date, _ event: RecordedEvent, _ connection: PostgresConnection,
                     _ logger: Logger) async throws {
        try await connection.queryUnlessClosed("""
            UPDATE keys SET deleted = \(deleted), changed_at = \(at)
             WHERE tenant_id = \(event.tenant) AND key_id = \(keyID)
            """, logger: logger)
    }
}
