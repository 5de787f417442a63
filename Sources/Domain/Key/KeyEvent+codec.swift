import Foundation
import Schemas
import SwiftProtobuf

extension KeyEvent: RecordableEvent {
    public var type: String {
        switch self {
        case .issued: "KeyIssued"
        case .revoked: "KeyRevoked"
        }
    }

    public var schemaVersion: Int { 1 }

    public func jsonData() throws -> String {
        switch self {
        case .issued(let keyID, let name, let roles, let secretSHA256, let at):
            try ProtoJSON.encode(Eventloom_V1_KeyIssued.with {
                $0.keyID = keyID
                $0.name = name
                $0.roles = roles.map(\.rawValue)
                $0.secretSha256 = Data(secretSHA256)
                $0.issuedAt = Google_Protobuf_Timestamp(date: at)
            }, type: type)
        case .revoked(let keyID, let at):
            try ProtoJSON.encode(Eventloom_V1_KeyRevoked.with {
                $0.keyID = keyID
                $0.revokedAt = Google_Protobuf_Timestamp(date: at)
            }, type: type)
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        guard schemaVersion == 1 else {
            throw EventCodingError.unsupportedSchemaVersion(type: type, version: schemaVersion)
        }
        switch type {
        case "KeyIssued":
            let message = try ProtoJSON.decode(Eventloom_V1_KeyIssued.self, from: json, type: type)
            let roles = message.roles.compactMap(KeyRole.init(rawValue:))
            guard roles.count == message.roles.count else {
                throw EventCodingError.invalidPayload(type: type, reason: "unknown role in \(message.roles)")
            }
            self = .issued(keyID: message.keyID, name: message.name, roles: roles,
                           secretSHA256: Array(message.secretSha256), at: message.issuedAt.date)
        case "KeyRevoked":
            let message = try ProtoJSON.decode(Eventloom_V1_KeyRevoked.self, from: json, type: type)
            self = .revoked(keyID: message.keyID, at: message.revokedAt.date)
        default:
            throw EventCodingError.unknownType(type)
        }
    }
}
