import Foundation
import PostgresNIO

/// What a database error means for the store.
enum DatabaseFailure {
    /// An event id is already in the log (unique violation on events_pkey).
    case duplicateEventID
    /// Another transaction appended the same stream version first (unique violation on
    /// events_stream_version_key), or PostgreSQL broke a deadlock or serialization
    /// conflict between appends: retry from the new head.
    case streamAppendedConcurrently
    /// The append-only trigger fired (SQLSTATE EL002).
    case appendOnly
    /// An append came after other writes of its transaction (SQLSTATE EL003).
    case appendNotFirstWrite
    /// PostgreSQL refused a value: bad JSON, out of range… (SQLSTATE class 22).
    case invalidValue(String)
    /// The schema is missing: `eventloom migrate` has not run (undefined table or function).
    case notMigrated
    /// A query names a column its table lacks (SQLSTATE 42703): the read model's live tables
    /// were built by an older version and its rebuild has not been swapped in yet.
    case readModelOutdated
    /// Connection-level trouble.
    case unavailable
    /// The statement ran past its `statement_timeout` (SQLSTATE 57014).
    case timedOut
    case other

    init(_ error: any Error) {
        guard let error = error as? PSQLError else {
            // Not a server answer and not a decoding problem: the connection (pool, socket, TLS).
            self = error is PostgresDecodingError || error is CancellationError ? .other : .unavailable
            return
        }
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            self = Self.isConnectionFailure(error.code) ? .unavailable : .other
            return
        }
        let constraint = error.serverInfo?[.constraintName]
        switch state {
        case "EL002": self = .appendOnly
        case "EL003": self = .appendNotFirstWrite
        case "23505" where constraint == "events_pkey": self = .duplicateEventID
        case "23505" where constraint == "events_stream_version_key", "40P01", "40001":
            self = .streamAppendedConcurrently
        case _ where state.hasPrefix("22"): self = .invalidValue(error.serverInfo?[.message] ?? state)
        case "42P01", "42883": self = .notMigrated
        case "42703": self = .readModelOutdated
        case "57P01", "57P02", "57P03", "53300": self = .unavailable
        case "57014": self = .timedOut
        default: self = .other
        }
    }

    /// A one-line account of `error` for logs: SQL state and server message, never bind values.
    static func summary(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        guard let info = error.serverInfo else { return "\(error.code)" }
        return "\(info[.sqlState] ?? "?????"): \(info[.message] ?? "")"
            + (info[.constraintName].map { " (constraint \($0))" } ?? "")
    }

    /// The store error for failures that are not specific to one operation.
    func generalError(_ underlying: any Error) -> EventStoreError? {
        switch self {
        case .notMigrated:
            EventStoreError(.migrationMismatch, "the database is not migrated: run `eventloom migrate`", underlying: underlying)
        case .unavailable:
            EventStoreError(.unavailable, "the database is unavailable", underlying: underlying)
        case .timedOut:
            EventStoreError(.timedOut, "the query ran past its time limit", underlying: underlying)
        case .readModelOutdated:
            EventStoreError(.readModelRebuilding, "the read model is being rebuilt for this version of the server",
                            underlying: underlying)
        default:
            nil
        }
    }

    private static func isConnectionFailure(_ code: PSQLError.Code) -> Bool {
        [.connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed,
         .uncleanShutdown, .sslUnsupported].contains(code)
    }
}
