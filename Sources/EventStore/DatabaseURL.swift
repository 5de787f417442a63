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

    /// The pooled client configuration `url` describes.
    /// - Throws: ``EventStoreError/Code/invalidInput`` with what is wrong (never the password).
    public static func configuration(_ url: String) throws -> PostgresClient.Configuration {
        let parts = try Parts(url)
        let tls: PostgresClient.Configuration.TLS = switch parts.sslMode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: parts.host, port: parts.port, username: parts.user, password: parts.password,
            database: parts.database, tls: tls)
        configuration.options.maximumConnections = 40
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// The configuration of one connection of its own (e.g. to hold a session lock).
    /// - Throws: ``EventStoreError/Code/invalidInput`` with what is wrong (never the password).
    public static func connectionConfiguration(_ url: String) throws -> PostgresConnection.Configuration {
        let parts = try Parts(url)
        let tls: PostgresConnection.Configuration.TLS
        switch parts.sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: parts.host, port: parts.port, username: parts.user, password: parts.password,
            database: parts.database, tls: tls)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    private struct Parts {
        enum SSLMode { case disable, prefer, require }
        let host: String
        let port: Int
        let user: String
        let password: String?
        let database: String
        let sslMode: SSLMode

        init(_ url: String) throws {
            guard let components = URLComponents(string: url),
                  ["postgres", "postgresql"].contains(components.scheme ?? ""),
                  let host = components.host, !host.isEmpty
            else {
                throw EventStoreError.invalid("database URL must look like postgres://user@host:port/database")
            }
            guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
                throw EventStoreError.invalid("database URL has no user")
            }
            let database = String(components.path.drop { $0 == "/" }).removingPercentEncoding ?? ""
            switch components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable" {
            case "disable": sslMode = .disable
            case "prefer": sslMode = .prefer
            case "require", "verify-full": sslMode = .require
            default: throw EventStoreError.invalid("sslmode must be disable, prefer, require or verify-full")
            }
            self.host = host
            self.port = components.port ?? 5432
            self.user = user
            self.password = components.percentEncodedPassword?.removingPercentEncoding
            self.database = database.isEmpty ? user : database
        }
    }
}
