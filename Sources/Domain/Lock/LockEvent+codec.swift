import Foundation
import Schemas
import SwiftProtobuf

extension LockEvent: RecordableEvent {
    public var type: String {
        switch self {
        case .acquired: "LockAcquired"
        case .released: "LockReleased"
        }
    }

    public var schemaVersion: Int { 1 }

    public func jsonData() throws -> String {
        switch self {
        case .acquired(let holder, let at, let expiresAt):
            try ProtoJSON.encode(Eventloom_V1_LockAcquired.with {
                $0.holder = holder
                $0.acquiredAt = Google_Protobuf_Timestamp(date: at)
                $0.expiresAt = Google_Protobuf_Timestamp(date: expiresAt)
            }, type: type)
        case .released(let holder, let at):
            try ProtoJSON.encode(Eventloom_V1_LockReleased.with {
                $0.holder = holder
                $0.releasedAt = Google_Protobuf_Timestamp(date: at)
            }, type: type)
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        guard schemaVersion == 1 else {
            throw EventCodingError.unsupportedSchemaVersion(type: type, version: schemaVersion)
        }
        switch type {
        case "LockAcquired":
            let message = try ProtoJSON.decode(Eventloom_V1_LockAcquired.self, from: json, type: type)
            self = .acquired(holder: message.holder, at: message.acquiredAt.date, expiresAt: message.expiresAt.date)
        case "LockReleased":
            let message = try ProtoJSON.decode(Eventloom_V1_LockReleased.self, from: json, type: type)
            self = .released(holder: message.holder, at: message.releasedAt.date)
        default:
            throw EventCodingError.unknownType(type)
        }
    }
}
