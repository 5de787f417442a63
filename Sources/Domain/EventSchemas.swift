import Schemas
import SwiftProtobuf

/// The protobuf message of every event type this release defines (schemas/), by type.
public enum EventSchemas {
    /// The message type for event `type`; nil for a type without a schema here.
    public static func messageType(for type: String) -> (any SwiftProtobuf.Message.Type)? {
        switch type {
        case "LockAcquired": Eventloom_V1_LockAcquired.self
        case "LockReleased": Eventloom_V1_LockReleased.self
        case "KeyIssued": Eventloom_V1_KeyIssued.self
        case "KeyRevoked": Eventloom_V1_KeyRevoked.self
        default: nil
        }
    }

    /// The binary protobuf of the event stored as proto3 JSON `json`.
    /// - Returns: nil when `type` has no schema here.
    /// - Throws: ``EventCodingError/invalidPayload(type:reason:)`` when `json` does not fit the schema.
    public static func binary(type: String, json: String) throws -> [UInt8]? {
        guard let messageType = messageType(for: type) else { return nil }
        do {
            let message = try messageType.init(jsonString: json)
            return try message.serializedBytes()
        } catch {
            throw EventCodingError.invalidPayload(type: type, reason: "\(error)")
        }
    }
}
