import Domain
import Foundation

/// An event as the log holds it.
public struct RecordedEvent: Sendable, Hashable {
    public let id: UUID
    public let tenant: String
    public let stream: String
    public let category: String
    public let streamVersion: Int64
    public let type: String
    public let schemaVersion: Int
    /// The payload as JSON text (PostgreSQL's rendering of the stored JSONB).
    public let data: String
    /// The metadata as JSON text.
    public let metadata: String
    /// When the log recorded the event, in microseconds since 1970-01-01T00:00:00Z.
    public let recordedAtMicros: Int64
    public let cursor: Cursor
    /// The hash chain link (32 bytes).
    public let hash: [UInt8]

    public var recordedAt: Date { Date(timeIntervalSince1970: Double(recordedAtMicros) / 1_000_000) }

    /// The domain event this record holds.
    /// - Throws: ``Domain/EventCodingError`` for an unknown type or an unreadable payload.
    public func decode<E: RecordableEvent>(as _: E.Type = E.self) throws -> E {
        try E(type: type, schemaVersion: schemaVersion, json: data)
    }
}
