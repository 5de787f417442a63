import SwiftProtobuf

/// proto3 JSON encoding and decoding that reports failures as ``EventCodingError``.
public enum ProtoJSON {
    /// `message` in the proto3 JSON mapping.
    /// - Throws: ``EventCodingError/invalidPayload(type:reason:)``.
    public static func encode<M: SwiftProtobuf.Message>(_ message: M, type: String) throws -> String {
        do {
            return try message.jsonString()
        } catch {
            throw EventCodingError.invalidPayload(type: type, reason: "\(error)")
        }
    }

    /// The message of type `M` that `json` encodes; unknown fields are an error.
    /// - Throws: ``EventCodingError/invalidPayload(type:reason:)``.
    public static func decode<M: SwiftProtobuf.Message>(_: M.Type, from json: String, type: String) throws -> M {
        do {
            return try M(jsonString: json)
        } catch {
            throw EventCodingError.invalidPayload(type: type, reason: "\(error)")
        }
    }
}
