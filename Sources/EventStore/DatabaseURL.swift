import Foundation
import NIOSSL
import PostgresNIO

/// Parses `postgres://user:password@host:port/database?sslmode=disable|require`.
public enum DatabaseURL {
    /// Session settings every store connection starts with.
    ///
    /// `plan_cache_mode=force_generic_plan`: the append statement's plan does not depend on
    /// its values, but with array parameters PostgreSQL would otherwise plan it afresh on
    /// every call (about 1 ms, more than executing it). The store's other queries are
    /// index lookups whose generic plans are the same.
    public static let startupParameters: [(String, String)] = [
        ("plan_cache_mode", "force_generic_plan"),
        ("application_name", "eventloom"),
    ]

    /// The client configuration `url` describes.
    /// - Throws: ``EventStoreError/Code/invalidInput`` with what is wrong (never the password).
    public static func configuration(_ url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url),
              ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty
        else {
            throw EventStoreError.invalid("database URL must look like postgres://user@host:port/database")
        }
        guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
            throw EventStoreError.invalid("database URL has no user")
        }
        let database = String(components.path.drop { $0 == "/" })
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "prefer": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw EventStoreError.invalid("sslmode must be disable, prefer, require or verify-full")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user,
            password: components.percentEncodedPassword?.removingPercentEncoding,
            database: database.isEmpty ? user : database.removingPercentEncoding, tls: tls)
        configuration.options.maximumConnections = 40
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }
}
