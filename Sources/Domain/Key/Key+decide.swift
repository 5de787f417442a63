import Foundation

extension Key {
    public static func decide(_ command: KeyCommand, _ state: KeyState) throws -> [KeyEvent] {
        switch command {
        case .issue(let keyID, let name, let roles, let secretSHA256, let now):
            try issue(keyID: keyID, name: name, roles: roles, secretSHA256: secretSHA256, now: now, state: state)
        case .revoke(let now):
            try revoke(now: now, state: state)
        }
    }

    private static func issue(
        keyID: String, name: String, roles: Set<KeyRole>, secretSHA256: [UInt8], now: Date, state: KeyState
    ) throws -> [KeyEvent] {
        guard !keyID.isEmpty else { throw KeyError.invalidCommand(reason: "the key id is empty") }
        guard !name.isEmpty, name.count <= maximumNameLength,
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw KeyError.invalidCommand(reason: "name must be 1-\(maximumNameLength) characters, without control characters")
        }
        guard !roles.isEmpty else { throw KeyError.invalidCommand(reason: "a key needs at least one role") }
        guard secretSHA256.count == 32 else { throw KeyError.invalidCommand(reason: "the secret hash is not SHA-256") }
        guard case .none = state else { throw KeyError.alreadyIssued(keyID: keyID) }
        return [.issued(keyID: keyID, name: name, roles: roles.sorted(), secretSHA256: secretSHA256, at: now)]
    }

    private static func revoke(now: Date, state: KeyState) throws -> [KeyEvent] {
        switch state {
        case .none: throw KeyError.notIssued
        case .active(let keyID, _, _, _): return [.revoked(keyID: keyID, at: now)]
        case .revoked: return []
        }
    }
}
