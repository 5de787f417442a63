import Logging
import PostgresNIO

/// A read model's rows about one data subject, for the subject's export
/// (`GET /v1/subjects/{id}/export`, GDPR Art. 15 and 20): each read model that keeps rows
/// about a subject says which, next to its other queries.
public protocol SubjectRowQueries: ReadModelQueries {
    /// The read model's name (its projection's).
    static var readModel: String { get }
    /// Every row of the read model's tables about `subject` of `tenant`, as a JSON object
    /// (without the columns that only serve search or hold secrets), table by table and
    /// in key order, handed to `row` as they are read.
    func rows(about subject: String, tenant: String, _ row: SubjectRow.Handler) async throws
}

/// One read-model row of a subject's export.
public enum SubjectRow {
    /// Receives each row: its table and the row as a JSON object.
    public typealias Handler = (_ table: String, _ json: String) async throws -> Void

    /// Streams `query`'s rows, each a single JSON text column, to `handler` as rows of `table`.
    static func stream(_ query: PostgresQuery, table: String, on connection: PostgresConnection, logger: Logger,
                       to handler: Handler) async throws {
        for try await json in try await connection.query(query, logger: logger).decode(String.self) {
            try await handler(table, json)
        }
    }
}

/// The read models that keep rows about data subjects, in the order an export lists them.
public enum SubjectReadModels {
    public static let all: [any SubjectRowQueries.Type] = [SessionsQueries.self, KeysQueries.self, QuotasQueries.self,
                                                           DocumentsQueries.self]
}
