import EventStore
import Hummingbird

extension APIError {
    /// 504: the in-memory read model `name` had not applied `cursor` within `timeout`.
    static func consistencyTimeout(_ name: String, cursor: Cursor, timeout: Duration) -> APIError {
        APIError(.gatewayTimeout, "consistency-timeout", "Consistency timeout",
                 detail: "the \(name) read model had not reached \(cursor) within \(timeout)")
    }
}
