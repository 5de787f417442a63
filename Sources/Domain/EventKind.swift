import SwiftProtobuf

/// One event type of an aggregate: its name in the log (the raw value) and its protobuf
/// message in `schemas/`. Each aggregate declares its kinds once, as an enum, and every
/// other place that needs a type's name or schema reads it from there.
public protocol EventKind: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {
    /// The message the event is stored as (proto3 JSON) and relayed as (binary).
    var message: any SwiftProtobuf.Message.Type { get }
    /// The schema version this kind is written with and the only one it reads (1 unless
    /// the kind says otherwise).
    var schemaVersion: Int { get }
    /// Its fields that hold personal data of the event's data subject, encrypted with that
    /// subject's key and erased with it (``PersonalFields/none`` when it has none). No
    /// default: every kind says, from its first line.
    var personalFields: PersonalFields { get }
}

extension EventKind {
    /// The type name stored in `events.type`, e.g. `"KeyIssued"`.
    public var name: String { rawValue }

    public var schemaVersion: Int { 1 }

    /// `message` in the proto3 JSON mapping.
    /// - Throws: ``EventCodingError/invalidPayload(type:reason:)`` when `message` is not this
    ///   kind's schema or cannot be encoded.
    public func encode<M: SwiftProtobuf.Message>(_ message: M) throws -> String {
        try checkSchema(M.self)
        return try ProtoJSON.encode(message, type: name)
    }

    /// The message of type `M` that `json` encodes; unknown fields are an error.
    /// - Throws: ``EventCodingError/invalidPayload(type:reason:)`` when `M` is not this
    ///   kind's schema or `json` does not fit it.
    public func decode<M: SwiftProtobuf.Message>(_: M.Type, from json: String) throws -> M {
        try checkSchema(M.self)
        return try ProtoJSON.decode(M.self, from: json, type: name)
    }

    /// The kind named `type`, stored with schema version `schemaVersion`.
    /// - Throws: ``EventCodingError/unknownType(_:)`` or
    ///   ``EventCodingError/unsupportedSchemaVersion(type:version:)``.
    public static func named(_ type: String, schemaVersion: Int) throws -> Self {
        guard let kind = Self(rawValue: type) else { throw EventCodingError.unknownType(type) }
        guard schemaVersion == kind.schemaVersion else {
            throw EventCodingError.unsupportedSchemaVersion(type: type, version: schemaVersion)
        }
        return kind
    }

    private func checkSchema<M: SwiftProtobuf.Message>(_: M.Type) throws {
        guard ObjectIdentifier(M.self) == ObjectIdentifier(message) else {
            throw EventCodingError.invalidPayload(
                type: name, reason: "\(M.protoMessageName) is not the schema of \(name) (\(message.protoMessageName))")
        }
    }
}
