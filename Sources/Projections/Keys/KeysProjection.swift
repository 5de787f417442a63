import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

/// The keys read model: every API key, its tenant, roles, secret hash and whether it is
/// revoked. The API authenticates requests against it.
public struct KeysProjection: Projection {
    public let name = "keys"
    public let version = 1
    public let eventTypes: Set<String>? = ["KeyIssued", "KeyRevoked"]

    public init() {}

    public func createTables(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            CREATE TABLE keys (
                tenant_id     text        NOT NULL,
                key_id        text        NOT NULL,
                name          text        NOT NULL,
                roles         text[]      NOT NULL,
                secret_sha256 bytea       NOT NULL UNIQUE,
                issued_at     timestamptz NOT NULL,
                revoked_at    timestamptz,
                PRIMARY KEY (tenant_id, key_id)
            )
            """, logger: logger)
        try await connection.query("ALTER TABLE keys ENABLE ROW LEVEL SECURITY", logger: logger)
        try await connection.query("ALTER TABLE keys FORCE ROW LEVEL SECURITY", logger: logger)
        try await connection.query("""
            CREATE POLICY tenant_rows ON keys
                USING (eventloom_visible_tenant(tenant_id)) WITH CHECK (eventloom_visible_tenant(tenant_id))
            """, logger: logger)
    }

    public func createIndexes(on connection: PostgresConnection, logger: Logger) async throws {}

    public func apply(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws {
        for event in events {
            switch try event.decode(as: KeyEvent.self) {
            case .issued(let keyID, let name, let roles, let secretSHA256, let at):
                try await connection.query("""
                    INSERT INTO keys (tenant_id, key_id, name, roles, secret_sha256, issued_at)
                    VALUES (\(event.tenant), \(keyID), \(name), \(roles.map(\.rawValue)), \(Data(secretSHA256)),
                            timestamptz 'epoch' + \(Int64(at.timeIntervalSince1970 * 1_000_000)) * interval '1 microsecond')
                    """, logger: logger)
            case .revoked(let keyID, let at):
                try await connection.query("""
                    UPDATE keys SET revoked_at = timestamptz 'epoch' + \(Int64(at.timeIntervalSince1970 * 1_000_000)) * interval '1 microsecond'
                     WHERE tenant_id = \(event.tenant) AND key_id = \(keyID)
                    """, logger: logger)
            }
        }
    }
}
