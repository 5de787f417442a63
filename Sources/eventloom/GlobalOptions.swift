import ArgumentParser
import EventStore
import Foundation
import Logging
import PostgresNIO

/// Settings every subcommand shares; each flag falls back to its environment variable.
struct GlobalOptions: ParsableArguments {
    static let defaultDatabaseURL = "postgres://eventloom@127.0.0.1:55432/eventloom"

    @Option(help: "PostgreSQL URL, postgres://user[:password]@host[:port]/database[?sslmode=…]. Env: EVENTLOOM_DATABASE_URL. Default: the cluster of an `eventloom dev` running from this folder, else \(GlobalOptions.defaultDatabaseURL).")
    var databaseURL: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical. Env: EVENTLOOM_LOG_LEVEL.")
    var logLevel: String?

    @Option(help: "A file holding the master key (32 bytes in base64) that encrypts personal data. Env: EVENTLOOM_MASTER_KEY (the key itself).")
    var masterKeyFile: String?

    var resolvedDatabaseURL: String {
        databaseURL ?? ProcessInfo.processInfo.environment["EVENTLOOM_DATABASE_URL"]
            ?? DevEndpoints.running()?.databaseURL ?? Self.defaultDatabaseURL
    }

    func logger(_ label: String) throws -> Logger {
        let text = logLevel ?? ProcessInfo.processInfo.environment["EVENTLOOM_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: text) else {
            throw ValidationError("log level must be one of trace, debug, info, notice, warning, error, critical")
        }
        var logger = Logger(label: label, factory: { StandardErrorLogHandler(label: $0) })
        logger.logLevel = level
        return logger
    }

    /// The connection pool's own logger: errors only, unless debugging. (The pool reports
    /// routine start-up and shutdown races as warnings; failures reach callers as errors.)
    func poolLogger(_ logger: Logger) -> Logger {
        var pool = logger
        pool.logLevel = logger.logLevel <= .debug ? logger.logLevel : .error
        return pool
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        do {
            return try DatabaseURL.connectionConfiguration(resolvedDatabaseURL)
        } catch let error as EventStoreError {
            throw ValidationError(error.message)
        }
    }

    func clientConfiguration() throws -> PostgresClient.Configuration {
        do {
            return try DatabaseURL.configuration(resolvedDatabaseURL)
        } catch let error as EventStoreError {
            throw ValidationError(error.message)
        }
    }
}
