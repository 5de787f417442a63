import Logging
import PostgresNIO

/// Applies `migrations/` in order, each in its own transaction, and records them in
/// `eventloom_migrations`. Safe to run again and from several processes at once (an
/// advisory lock serializes them). Refuses to run when an applied file has changed or
/// the database has a migration this binary does not know.
public struct Migrator: Sendable {
    public let client: PostgresClient
    public let migrations: [Migration]
    private let logger: Logger

    /// Arbitrary constant: the advisory lock key of `eventloom migrate`.
    private static let lockKey: Int64 = 0x6576_6C6F_6F6D_6967

    public init(client: PostgresClient, migrations: [Migration], logger: Logger) {
        self.client = client
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies every pending migration; returns those it applied.
    /// - Throws: ``EventStoreError/Code/migrationMismatch`` for a changed or unknown
    ///   migration; `internalError` naming the migration whose SQL failed (rolled back).
    @discardableResult
    public func migrate() async throws -> [Migration] {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
            do {
                let applied = try await applyPending(on: connection)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                throw error
            }
        }
    }

    /// The migrations not yet applied.
    /// - Throws: as ``migrate()`` for a changed or unknown migration.
    public func pending() async throws -> [Migration] {
        try await client.withConnection { connection in
            try await createLedger(on: connection)
            return try check(applied: try await applied(on: connection))
        }
    }

    private func applyPending(on connection: PostgresConnection) async throws -> [Migration] {
        try await createLedger(on: connection)
        let pending = try check(applied: try await applied(on: connection))
        for migration in pending {
            try await apply(migration, on: connection)
            logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
        }
        return pending
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws {
        do {
            try await connection.withTransaction(logger: logger) { connection in
                for statement in SQLScript.statements(in: migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("""
                    INSERT INTO eventloom_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """, logger: logger)
            }
        } catch {
            let reason = ((error as? PostgresTransactionError)?.closureError as? PSQLError)?.serverInfo?[.message]
            throw EventStoreError(.internalError,
                                  "migration \(migration.name) failed and was rolled back: \(reason ?? "\(error)")",
                                  underlying: error)
        }
    }

    private func createLedger(on connection: PostgresConnection) async throws {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS eventloom_migrations (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp())
            """, logger: logger)
    }

    private func applied(on connection: PostgresConnection) async throws -> [Int: (name: String, checksum: String)] {
        var applied: [Int: (name: String, checksum: String)] = [:]
        let rows = try await connection.query("SELECT version, name, checksum FROM eventloom_migrations", logger: logger)
        for try await (version, name, checksum) in rows.decode((Int, String, String).self) {
            applied[version] = (name, checksum)
        }
        return applied
    }

    private func check(applied: [Int: (name: String, checksum: String)]) throws -> [Migration] {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, record) in applied.sorted(by: { $0.key < $1.key }) {
            guard let migration = known[version] else {
                throw EventStoreError(.migrationMismatch,
                    "the database has migration \(record.name), which this eventloom does not know: run a newer eventloom")
            }
            guard migration.checksum == record.checksum else {
                throw EventStoreError(.migrationMismatch,
                    "migration \(migration.name) changed after it was applied (applied \(record.checksum.prefix(12)), "
                    + "file \(migration.checksum.prefix(12))); applied migrations are never edited: add a new one")
            }
        }
        return migrations.filter { applied[$0.version] == nil }
    }
}
