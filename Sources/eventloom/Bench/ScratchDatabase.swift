import ArgumentParser
import EventStore
import Foundation
import Logging
import PostgresNIO

/// A migrated database created for one benchmark run, next to the configured one.
struct ScratchDatabase: Sendable {
    let name: String
    let configuration: PostgresClient.Configuration
    let serverConfiguration: PostgresClient.Configuration
    /// A libpq URL of the scratch database, for pgbench and psql.
    let libpqURL: String
    let logger: Logger

    static func create(_ options: GlobalOptions, logger: Logger) async throws -> ScratchDatabase {
        let server = try options.clientConfiguration()
        let name = "eventloom_bench_" + UUID().uuidString.prefix(8).lowercased()
        try await withClient(server, logger: logger) { client in
            do {
                try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            } catch {
                throw ValidationError("cannot create the scratch database \(name) (does the role have CREATEDB?): "
                                      + ((error as? PSQLError)?.serverInfo?[.message] ?? "\(error)"))
            }
        }
        var configuration = server
        configuration.database = name
        configuration.options.maximumConnections = 300
        var url = URLComponents(string: options.resolvedDatabaseURL)!
        url.path = "/" + name
        let scratch = ScratchDatabase(name: name, configuration: configuration, serverConfiguration: server,
                                      libpqURL: url.string!, logger: logger)
        try await scratch.withClient { client in
            try await Migrator(client: client, migrations: try Migration.bundled(), logger: logger).migrate()
        }
        return scratch
    }

    func withClient<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        try await Self.withClient(configuration, logger: logger, body)
    }

    func drop() async throws {
        try await Self.withClient(serverConfiguration, logger: logger) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    private static func withClient<T: Sendable>(
        _ configuration: PostgresClient.Configuration, logger: Logger,
        _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .error)
        return try await withRunningClient(configuration, backgroundLogger: quiet, body)
    }
}
