import Logging
import PostgresNIO

/// A read model's typed queries, next to the tables they read: the only code outside a
/// projection that names those tables. Built per transaction by ``TenantDatabase``.
public protocol ReadModelQueries: Sendable {
    init(_ connection: PostgresConnection, logger: Logger)
}
