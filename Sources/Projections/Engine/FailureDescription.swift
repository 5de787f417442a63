import PostgresNIO

/// What an operator reads about a failure in a projection's status: the database's own
/// message and SQL state for database errors (whose plain description hides them),
/// the error's description otherwise.
struct FailureDescription {
    let text: String

    init(_ error: any Error) {
        if let error = error as? PSQLError, let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            text = "database: \(message)\(state)"
        } else {
            text = "\(error)"
        }
    }
}
