import Domain
import Foundation

/// An event to append: its id, type, schema version, JSON payload and metadata.
public struct NewEvent: Sendable, Hashable {
    /// Unique in the whole log; re-sending the same id with the same content is a no-op.
    public var id: UUID
    public var type: String
    public var schemaVersion: Int
    /// A JSON object: the proto3 JSON mapping of the event's message.
    public var data: String
    public var metadata: EventMetadata

    public init(
        id: UUID = UUID(), type: String, schemaVersion: Int = 1, data: String,
        metadata: EventMetadata = EventMetadata()
    ) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.data = data
        self.metadata = metadata
    }

    /// The stored form of a domain event.
    /// - Throws: ``Domain/EventCodingError`` when the event cannot be encoded.
    public init<E: RecordableEvent>(_ event: E, id: UUID = UUID(), metadata: EventMetadata = EventMetadata()) throws {
        self.init(id: id, type: event.type, schemaVersion: event.schemaVersion,
                  data: try event.jsonData(), metadata: metadata)
    }
}

/// The events to append to one stream, with the version the caller expects it at.
public struct StreamAppend: Sendable, Hashable {
    public var stream: String
    public var expected: ExpectedVersion
    public var events: [NewEvent]

    public init(stream: String, expected: ExpectedVersion, events: [NewEvent]) {
        self.stream = stream
        self.expected = expected
        self.events = events
    }
}
