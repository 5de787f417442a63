import Domain
import Foundation
import Schemas
import SwiftProtobuf

extension Eventloom_V1_EventEnvelope {
    /// The envelope as one line of JSON, shaped like ``RecordedEvent/jsonLine`` plus the
    /// subject; `data` decoded to its proto3 JSON when the type has a schema here, else
    /// `data_base64`.
    public func jsonLine(subject: String) -> String {
        let micros = recordedAt.seconds * 1_000_000 + Int64(recordedAt.nanos / 1000)
        var line = "{\"cursor\":\(JSONText.quoted(position)),\"subject\":\(JSONText.quoted(subject))"
        line += ",\"event_id\":\(JSONText.quoted(eventID))"
        line += ",\"tenant_id\":\(JSONText.quoted(tenantID)),\"stream_id\":\(JSONText.quoted(streamID))"
        line += ",\"category\":\(JSONText.quoted(category)),\"stream_version\":\(streamVersion)"
        line += ",\"type\":\(JSONText.quoted(type)),\"schema_version\":\(schemaVersion)"
        line += dataField + ",\"metadata\":\(metadataJSON)"
        line += ",\"recorded_at\":\"\(RFC3339.format(micros: micros))\""
        line += ",\"hash\":\"\(Hex.encode(hash))\"}"
        return line
    }

    private var dataField: String {
        if dataContentType == "application/json", let text = String(data: data, encoding: .utf8) {
            return ",\"data\":\(text)"
        }
        if let messageType = EventRegistry.messageType(for: type),
           let message = try? messageType.init(serializedBytes: data),
           let json = try? message.jsonString() {
            return ",\"data\":\(json)"
        }
        return ",\"data_base64\":\"\(data.base64EncodedString())\""
    }

    private var metadataJSON: String {
        EventMetadata(
            actor: metadata.actor.nonEmpty, correlationId: metadata.correlationID.nonEmpty,
            causationId: metadata.causationID.nonEmpty, clientIp: metadata.clientIp.nonEmpty,
            userAgent: metadata.userAgent.nonEmpty, dataSubject: metadata.dataSubject.nonEmpty
        ).json
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
