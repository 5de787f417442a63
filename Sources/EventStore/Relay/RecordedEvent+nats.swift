import Domain
import Foundation
import NATS
import Schemas
import SwiftProtobuf

extension RecordedEvent {
    /// The subject the relay publishes the event to: `<prefix>.<tenant>.<category>.<type>`.
    public func subject(prefix: String) -> String {
        "\(prefix).\(tenant).\(category).\(type)"
    }

    /// The message the relay publishes: subject, headers, binary envelope.
    /// - Parameter dataFallback: set when the payload did not fit its type's schema and
    ///   travels as JSON instead (the relay never holds the log back for one event).
    public func natsMessage(subjectPrefix: String, dataFallback: inout EventCodingError?) throws -> OutgoingMessage {
        let id = self.id.lowercaseString
        let envelope = try envelope(id: id, dataFallback: &dataFallback)
        return OutgoingMessage(subject: subject(prefix: subjectPrefix), headers: natsHeaders(id: id),
                               payload: try envelope.serializedBytes())
    }

    /// ``natsMessage(subjectPrefix:dataFallback:)`` without `data`, for an event too large
    /// for the server's maximum payload: header `Eventloom-Data-Omitted` gives the size of
    /// the payload left out, which subscribers read from the log.
    public func natsMessageWithoutData(subjectPrefix: String) throws -> OutgoingMessage {
        let id = self.id.lowercaseString
        var fallback: EventCodingError?
        var envelope = try envelope(id: id, dataFallback: &fallback)
        envelope.data = Data()
        envelope.dataContentType = ""
        return OutgoingMessage(subject: subject(prefix: subjectPrefix),
                               headers: natsHeaders(id: id) + [("Eventloom-Data-Omitted", String(data.utf8.count))],
                               payload: try envelope.serializedBytes())
    }

    /// The envelope of the NATS message: every log field, `data` as binary protobuf when
    /// the type has a schema here, as its JSON text otherwise (see `dataContentType`).
    private func envelope(id: String, dataFallback: inout EventCodingError?) throws -> Eventloom_V1_EventEnvelope {
        var envelope = Eventloom_V1_EventEnvelope()
        envelope.eventID = id
        envelope.tenantID = tenant
        envelope.streamID = stream
        envelope.category = category
        envelope.streamVersion = UInt64(streamVersion)
        envelope.type = type
        envelope.schemaVersion = UInt32(schemaVersion)
        envelope.position = cursor.description
        envelope.hash = Data(hash)
        envelope.recordedAt = Google_Protobuf_Timestamp(
            seconds: recordedAtMicros.floorDiv(1_000_000), nanos: Int32(recordedAtMicros.floorMod(1_000_000) * 1000))
        envelope.metadata = try Self.envelopeMetadata(metadata)
        do {
            if let binary = try EventRegistry.binary(type: type, json: data) {
                envelope.data = Data(binary)
                envelope.dataContentType = "application/protobuf"
                return envelope
            }
        } catch let error as EventCodingError {
            dataFallback = error
        }
        envelope.data = Data(data.utf8)
        envelope.dataContentType = "application/json"
        return envelope
    }

    /// The CloudEvents (binary mode) and Eventloom headers; `Nats-Msg-Id` is set by the publish.
    private func natsHeaders(id: String) -> [(name: String, value: String)] {
        [
            ("ce-specversion", "1.0"),
            ("ce-id", id),
            ("ce-source", "/eventloom/\(tenant)/\(stream)"),
            ("ce-type", "eventloom.v1.\(type)"),
            ("ce-time", RFC3339.format(micros: recordedAtMicros)),
            ("ce-subject", stream),
            ("content-type", "application/protobuf"),
            ("Eventloom-Position", cursor.description),
            ("Eventloom-Stream-Version", String(streamVersion)),
        ]
    }

    /// The stored metadata's keys are the proto3 JSON names of `EventMetadata`'s fields.
    private static func envelopeMetadata(_ json: String) throws -> Eventloom_V1_EventMetadata {
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        return try Eventloom_V1_EventMetadata(jsonString: json, options: options)
    }
}
