/// An event that can be written to and read back from the log.
///
/// `type` names the protobuf message in `schemas/`; `jsonData` is that message in
/// the proto3 JSON mapping, which is what the log stores.
public protocol RecordableEvent: Sendable {
    /// The event type, e.g. `"LockAcquired"`.
    var type: String { get }
    /// The version of the message schema this value encodes to.
    var schemaVersion: Int { get }
    /// The event as proto3 JSON.
    /// - Throws: ``EventCodingError`` when the message cannot be encoded.
    func jsonData() throws -> String
    /// The event stored as `type` and `schemaVersion` with payload `json`.
    /// - Throws: ``EventCodingError`` for an unknown type or a payload that does not parse.
    init(type: String, schemaVersion: Int, json: String) throws
}

/// Why an event could not be turned into, or read back from, its stored form.
public enum EventCodingError: Error, Equatable, Sendable {
    case unknownType(String)
    case unsupportedSchemaVersion(type: String, version: Int)
    case invalidPayload(type: String, reason: String)
    case missingField(type: String, field: String)
}
