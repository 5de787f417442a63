import EventStore
import Foundation

/// Where a projection has got to, whether it is stopped, and any rebuild under way.
public struct ProjectionStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Following the log.
        case running
        /// Stopped at an event that failed to apply; it retries, and resumes once it applies.
        case failed
    }

    /// A rebuild requested or under way.
    public struct Rebuild: Sendable, Equatable {
        public var requestedAtMicros: Int64?
        /// The version being built; nil until the rebuild starts.
        public var version: Int?
        /// The last event the rebuild tables reflect.
        public var cursor: Cursor?
        public var startedAtMicros: Int64?
        public var applied: Int64
        /// Events in the log when the rebuild started (the progress bar's 100 %).
        public var total: Int64?
    }

    public var name: String
    public var version: Int
    /// The last event the live tables reflect.
    public var cursor: Cursor
    public var state: State
    /// Why it stopped, when `state` is `failed`.
    public var error: String?
    public var failedEventID: UUID?
    public var failedAtMicros: Int64?
    public var rebuild: Rebuild?
    public var lastRebuiltAtMicros: Int64?
    /// When the checkpoint or the state last changed (microseconds since 1970).
    public var updatedAtMicros: Int64 = 0
}
