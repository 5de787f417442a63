import Foundation
import Schemas
import SwiftProtobuf

extension KeyEvent: RecordableEvent {
    public var type: String {
        switch self {
        case .issued: "KeyIssued"
        case .revoked: "KeyRevoked"
        case .disabled: "KeyDisabled"
        case .enabled: "KeyEnabled"
        case .expired: "KeyExpired"
        case .deleted: "KeyDeleted"
        case .restored: "KeyRestored"
        case .renewed: "KeyRenewed"
        }
    }

    public var schemaVersion: Int { 1 }

    public func jsonData() throws -> String {
        switch self {
        case .issued(let profile, let at): try ProtoJSON.encode(profile.proto(at: at), type: type)
        case .revoked(let keyID, let at):
            try ProtoJSON.encode(Eventloom_V1_KeyRevoked.with { $0.keyID = keyID; $0.revokedAt = at.timestamp }, type: type)
        case .disabled(let keyID, let at):
            try ProtoJSON.encode(Eventloom_V1_KeyDisabled.with { $0.keyID = keyID; $0.disabledAt = at.timestamp }, type: type)
        case .enabled(let keyID, let at):
            try ProtoJSON.encode(Eventloom_V1_KeyEnabled.with { $0.keyID = keyID; $0.enabledAt = at.timestamp }, type: type)
        case .expired(let keyID, let at):
            try ProtoJSON.encode(Eventloom_V1_KeyExpired.with { $0.keyID = keyID; $0.expiredAt = at.timestamp }, type: type)
        case .deleted(let keyID, let at):
            try ProtoJSON.encode(Eventloom_V1_KeyDeleted.with { $0.keyID = keyID; $0.deletedAt = at.timestamp }, type: type)
        case .restored(let keyID, let at):
            try ProtoJSON.encode(Eventloom_V1_KeyRestored.with { $0.keyID = keyID; $0.restoredAt = at.timestamp }, type: type)
        case .renewed(let keyID, let expiresAt, let at):
            try ProtoJSON.encode(Eventloom_V1_KeyRenewed.with {
                $0.keyID = keyID
                if let expiresAt { $0.expiresAt = expiresAt.timestamp }
                $0.renewedAt = at.timestamp
            }, type: type)
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        guard schemaVersion == 1 else { throw EventCodingError.unsupportedSchemaVersion(type: type, version: schemaVersion) }
        switch type {
        case "KeyIssued":
            let message = try ProtoJSON.decode(Eventloom_V1_KeyIssued.self, from: json, type: type)
            self = .issued(try KeyProfile(message, type: type), at: message.issuedAt.date)
        case "KeyRevoked":
            let m = try ProtoJSON.decode(Eventloom_V1_KeyRevoked.self, from: json, type: type)
            self = .revoked(keyID: m.keyID, at: m.revokedAt.date)
        case "KeyDisabled":
            let m = try ProtoJSON.decode(Eventloom_V1_KeyDisabled.self, from: json, type: type)
            self = .disabled(keyID: m.keyID, at: m.disabledAt.date)
        case "KeyEnabled":
            let m = try ProtoJSON.decode(Eventloom_V1_KeyEnabled.self, from: json, type: type)
            self = .enabled(keyID: m.keyID, at: m.enabledAt.date)
        case "KeyExpired":
            let m = try ProtoJSON.decode(Eventloom_V1_KeyExpired.self, from: json, type: type)
            self = .expired(keyID: m.keyID, at: m.expiredAt.date)
        case "KeyDeleted":
            let m = try ProtoJSON.decode(Eventloom_V1_KeyDeleted.self, from: json, type: type)
            self = .deleted(keyID: m.keyID, at: m.deletedAt.date)
        case "KeyRestored":
            let m = try ProtoJSON.decode(Eventloom_V1_KeyRestored.self, from: json, type: type)
            self = .restored(keyID: m.keyID, at: m.restoredAt.date)
        case "KeyRenewed":
            let m = try ProtoJSON.decode(Eventloom_V1_KeyRenewed.self, from: json, type: type)
            self = .renewed(keyID: m.keyID, expiresAt: m.hasExpiresAt ? m.expiresAt.date : nil, at: m.renewedAt.date)
        default:
            throw EventCodingError.unknownType(type)
        }
    }
}

extension KeyProfile {
    func proto(at: Date) -> Eventloom_V1_KeyIssued {
        .with { m in
            m.keyID = keyID
            m.name = name
            m.roles = roles.map(\.rawValue)
            m.secretSha256 = Data(secretSHA256)
            m.issuedAt = at.timestamp
            if let userID { m.userID = userID }
            if let departmentID { m.departmentID = departmentID }
            m.group = group
            m.allowedModels = allowedModels
            if let expiresAt { m.expiresAt = expiresAt.timestamp }
        }
    }

    init(_ m: Eventloom_V1_KeyIssued, type: String) throws {
        let roles = m.roles.compactMap(KeyRole.init(rawValue:))
        guard roles.count == m.roles.count else {
            throw EventCodingError.invalidPayload(type: type, reason: "unknown role in \(m.roles)")
        }
        self.init(keyID: m.keyID, name: m.name, roles: roles, secretSHA256: Array(m.secretSha256),
                  userID: m.userID.isEmpty ? nil : m.userID, departmentID: m.departmentID.isEmpty ? nil : m.departmentID,
                  group: m.group.isEmpty ? PriceList.defaultGroup : m.group, allowedModels: m.allowedModels,
                  expiresAt: m.hasExpiresAt ? m.expiresAt.date : nil)
    }
}
