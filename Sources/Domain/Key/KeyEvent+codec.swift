import Foundation
import Schemas
import SwiftProtobuf

extension KeyEvent: EventFamily {
    /// Every type a key writes, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case issued = "KeyIssued"
        case revoked = "KeyRevoked"
        case disabled = "KeyDisabled"
        case enabled = "KeyEnabled"
        case expired = "KeyExpired"
        case deleted = "KeyDeleted"
        case restored = "KeyRestored"
        case renewed = "KeyRenewed"

        public var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .issued: Eventloom_V1_KeyIssued.self
            case .revoked: Eventloom_V1_KeyRevoked.self
            case .disabled: Eventloom_V1_KeyDisabled.self
            case .enabled: Eventloom_V1_KeyEnabled.self
            case .expired: Eventloom_V1_KeyExpired.self
            case .deleted: Eventloom_V1_KeyDeleted.self
            case .restored: Eventloom_V1_KeyRestored.self
            case .renewed: Eventloom_V1_KeyRenewed.self
            }
        }

        public var personalFields: PersonalFields { .none }
    }

    public var kind: Kind {
        switch self {
        case .issued: .issued
        case .revoked: .revoked
        case .disabled: .disabled
        case .enabled: .enabled
        case .expired: .expired
        case .deleted: .deleted
        case .restored: .restored
        case .renewed: .renewed
        }
    }

    public func jsonData() throws -> String {
        switch self {
        case .issued(let profile, let at): try kind.encode(profile.proto(at: at))
        case .revoked(let keyID, let at):
            try kind.encode(Eventloom_V1_KeyRevoked.with { $0.keyID = keyID; $0.revokedAt = at.timestamp })
        case .disabled(let keyID, let at):
            try kind.encode(Eventloom_V1_KeyDisabled.with { $0.keyID = keyID; $0.disabledAt = at.timestamp })
        case .enabled(let keyID, let at):
            try kind.encode(Eventloom_V1_KeyEnabled.with { $0.keyID = keyID; $0.enabledAt = at.timestamp })
        case .expired(let keyID, let at):
            try kind.encode(Eventloom_V1_KeyExpired.with { $0.keyID = keyID; $0.expiredAt = at.timestamp })
        case .deleted(let keyID, let at):
            try kind.encode(Eventloom_V1_KeyDeleted.with { $0.keyID = keyID; $0.deletedAt = at.timestamp })
        case .restored(let keyID, let at):
            try kind.encode(Eventloom_V1_KeyRestored.with { $0.keyID = keyID; $0.restoredAt = at.timestamp })
        case .renewed(let keyID, let expiresAt, let at):
            try kind.encode(Eventloom_V1_KeyRenewed.with {
                $0.keyID = keyID
                if let expiresAt { $0.expiresAt = expiresAt.timestamp }
                $0.renewedAt = at.timestamp
            })
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        switch try Kind.named(type, schemaVersion: schemaVersion) {
        case .issued:
            let message = try Kind.issued.decode(Eventloom_V1_KeyIssued.self, from: json)
            self = .issued(try KeyProfile(message, type: type), at: message.issuedAt.date)
        case .revoked:
            let m = try Kind.revoked.decode(Eventloom_V1_KeyRevoked.self, from: json)
            self = .revoked(keyID: m.keyID, at: m.revokedAt.date)
        case .disabled:
            let m = try Kind.disabled.decode(Eventloom_V1_KeyDisabled.self, from: json)
            self = .disabled(keyID: m.keyID, at: m.disabledAt.date)
        case .enabled:
            let m = try Kind.enabled.decode(Eventloom_V1_KeyEnabled.self, from: json)
            self = .enabled(keyID: m.keyID, at: m.enabledAt.date)
        case .expired:
            let m = try Kind.expired.decode(Eventloom_V1_KeyExpired.self, from: json)
            self = .expired(keyID: m.keyID, at: m.expiredAt.date)
        case .deleted:
            let m = try Kind.deleted.decode(Eventloom_V1_KeyDeleted.self, from: json)
            self = .deleted(keyID: m.keyID, at: m.deletedAt.date)
        case .restored:
            let m = try Kind.restored.decode(Eventloom_V1_KeyRestored.self, from: json)
            self = .restored(keyID: m.keyID, at: m.restoredAt.date)
        case .renewed:
            let m = try Kind.renewed.decode(Eventloom_V1_KeyRenewed.self, from: json)
            self = .renewed(keyID: m.keyID, expiresAt: m.hasExpiresAt ? m.expiresAt.date : nil, at: m.renewedAt.date)
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
