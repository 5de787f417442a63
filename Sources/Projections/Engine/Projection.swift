import Domain
import EventStore
import Logging
import PostgresNIO

/// A read model folded from the log: its tables, and how a batch of events changes them.
///
/// The runner calls every method inside a transaction whose `search_path` starts with the
/// projection's schema (live or rebuild), so SQL names tables without a schema, and whose
/// `eventloom.tenant` is `*` (row-level security lets the projection write every tenant).
/// The same events applied to empty tables must always give the same rows: a rebuild
/// and a crash-and-resume both rely on it.
public protocol Projection: Sendable {
    /// Lower-case letters, digits and `_`, starting with a letter, at most 40 characters;
    /// names the schema, `projection_<name>`.
    var name: String { get }
    /// Bump it whenever `apply` or the tables change: the runner then rebuilds.
    var version: Int { get }
    /// The event types `apply` wants; nil for every event. The checkpoint moves past the others.
    var eventTypes: Set<String>? { get }

    /// Creates the tables, empty, with the keys `apply` relies on (an upsert needs its
    /// unique index) but without the indexes only queries use.
    func createTables(on connection: PostgresConnection, logger: Logger) async throws
    /// Creates the indexes queries use, once a rebuild has loaded the tables (cheaper than
    /// maintaining them row by row).
    func createIndexes(on connection: PostgresConnection, logger: Logger) async throws
    /// Applies events, in cursor order. Throwing rolls the batch back and stops the
    /// projection at the event that fails; it is never skipped.
    func apply(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws
    /// Erases data subject `subject` of `tenant` (docs/erasure.md): every copy of its
    /// personal data in the tables becomes what the log reveals of it now (`[erased]`),
    /// as a rebuild would write it. Called in the transaction of the batch holding the
    /// subject's `SubjectErased`, after the batch's events are applied (whether or not the
    /// projection wants that type). No default: every read model says what it keeps of a
    /// subject, even nothing.
    func erase(subject: String, tenant: String, on connection: PostgresConnection, logger: Logger) async throws
}

extension Projection {
    public var eventTypes: Set<String>? { nil }

    /// The schema of the live tables.
    public var schema: String { "projection_\(name)" }
    /// The schema a rebuild fills before the swap.
    var rebuildSchema: String { "projection_\(name)_rebuild" }
    /// Where the tables a swap replaced wait to be dropped.
    var retiredSchema: String { "projection_\(name)_retired" }

    /// The subscribed types no registered family defines, sorted; empty when all are known.
    public var unknownEventTypes: [String] { eventTypes.map(EventRegistry.unknown(in:)) ?? [] }

    /// Checks the name and the subscription before a runner starts.
    /// - Throws: ``ProjectionError/invalidName(_:)`` or ``ProjectionError/unknownEventTypes(projection:types:)``.
    public func validate() throws {
        guard ProjectionName.isValid(name) else { throw ProjectionError.invalidName(name) }
        let unknown = unknownEventTypes
        guard unknown.isEmpty else { throw ProjectionError.unknownEventTypes(projection: name, types: unknown) }
    }

    func wants(_ event: RecordedEvent) -> Bool {
        eventTypes.map { $0.contains(event.type) } ?? true
    }
}

/// What makes a projection name valid: it becomes part of SQL identifiers.
public enum ProjectionName {
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
              name.utf8.count <= 40 else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}
