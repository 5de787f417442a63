import Foundation
import PostgresNIO

/// A failure of the event store. `description` is safe to show a client; the details
/// (underlying database error, SQL state) are only in `debugDescription`.
public struct EventStoreError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case wrongExpectedVersion, eventIDConflict, invalidInput, eventLogIsAppendOnly, appendNotFirstWrite
            case migrationMismatch, unavailable, timedOut, readModelRebuilding, subjectErased, concurrentChange, internalError
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The stream was not at the expected version; nothing was written.
        public static let wrongExpectedVersion = Code(.wrongExpectedVersion)
        /// An event id was already used for different content (or a partly overlapping append).
        public static let eventIDConflict = Code(.eventIDConflict)
        /// The request broke a rule on ids, sizes or payloads; nothing was written.
        public static let invalidInput = Code(.invalidInput)
        /// Something tried to change or delete logged events.
        public static let eventLogIsAppendOnly = Code(.eventLogIsAppendOnly)
        /// An append inside a caller's transaction came after that transaction's other
        /// writes (docs/event-log.md, "The horizon"); nothing was appended.
        public static let appendNotFirstWrite = Code(.appendNotFirstWrite)
        /// The database's applied migrations do not match this binary's.
        public static let migrationMismatch = Code(.migrationMismatch)
        /// The database could not be reached or did not answer.
        public static let unavailable = Code(.unavailable)
        /// A statement ran past its time limit and the database cancelled it.
        public static let timedOut = Code(.timedOut)
        /// A read model's tables are older than this binary's queries: the rebuild its new
        /// version started has not been swapped in yet.
        public static let readModelRebuilding = Code(.readModelRebuilding)
        /// The write carries personal data of a data subject who was erased; nothing was
        /// written (docs/erasure.md).
        public static let subjectErased = Code(.subjectErased)
        /// Data the write depends on beside the log changed while it ran (e.g. a part
        /// staged while the task was committed); nothing was written. Retry.
        public static let concurrentChange = Code(.concurrentChange)
        /// Anything else; details are in the debug description and the log.
        public static let internalError = Code(.internalError)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// A message safe to show a client.
    public let message: String
    /// For `wrongExpectedVersion`: the stream, what was expected and its actual version.
    public var stream: String?
    public var expected: ExpectedVersion?
    public var actualVersion: Int64?
    /// For `eventIDConflict`: the event id.
    public var eventID: UUID?
    /// The error this one wraps, for logs only.
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(code): \(message)" }

    public var debugDescription: String {
        var text = description
        if let underlying { text += " (underlying: \(String(reflecting: underlying)))" }
        return text
    }

    static func wrongExpectedVersion(stream: String, expected: ExpectedVersion, actual: Int64) -> Self {
        var error = Self(.wrongExpectedVersion,
                         "stream \(stream) is at version \(actual), expected \(expected)")
        error.stream = stream
        error.expected = expected
        error.actualVersion = actual
        return error
    }

    static func eventIDConflict(_ id: UUID) -> Self {
        var error = Self(.eventIDConflict,
                         "event id \(id.uuidString.lowercased()) was already used for other content")
        error.eventID = id
        return error
    }

    static func invalid(_ message: String) -> Self { Self(.invalidInput, message) }
}

extension EventStoreError {
    /// True when the statement named a table that does not exist, e.g. a read model no
    /// projection process has built yet.
    public var isMissingTable: Bool {
        (underlying as? PSQLError)?.serverInfo?[.sqlState] == "42P01"
    }
}
