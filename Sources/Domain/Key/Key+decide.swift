import Foundation

extension Key {
    public static func decide(_ command: KeyCommand, _ state: KeyState) throws -> [KeyEvent] {
        if case .issue(let profile, let now) = command { return try issue(profile, now: now, state) }
        guard let record = state.record else { throw KeyError.notIssued }
        let keyID = record.profile.keyID
        if record.status == .revoked {
            switch command {
            case .revoke: return []
            case .delete(let now): return record.deleted ? [] : [.deleted(keyID: keyID, at: now)]
            default: throw KeyError.revoked
            }
        }
        return try change(command, record, keyID)
    }

    private static func change(_ command: KeyCommand, _ record: KeyRecord, _ keyID: String) throws -> [KeyEvent] {
        switch command {
        case .issue: return []
        case .revoke(let now): return [.revoked(keyID: keyID, at: now)]
        case .disable(let now): return record.status == .disabled ? [] : [.disabled(keyID: keyID, at: now)]
        case .enable(let now):
            switch record.status {
            case .disabled: return [.enabled(keyID: keyID, at: now)]
            case .expired: throw KeyError.notApplicable(reason: "an expired key is renewed, not enabled")
            case .active, .revoked: return []
            }
        case .expire(let now):
            guard record.status == .active, let expiresAt = record.profile.expiresAt, now >= expiresAt else { return [] }
            return [.expired(keyID: keyID, at: now)]
        case .delete(let now): return record.deleted ? [] : [.deleted(keyID: keyID, at: now)]
        case .restore(let now): return record.deleted ? [.restored(keyID: keyID, at: now)] : []
        case .renew(let expiresAt, let now):
            if let expiresAt, expiresAt <= now { throw KeyError.invalidCommand(reason: "expires_at must be in the future") }
            if expiresAt == record.profile.expiresAt, record.status != .expired { return [] }
            return [.renewed(keyID: keyID, expiresAt: expiresAt, at: now)]
        }
    }

    private static func issue(_ profile: KeyProfile, now: Date, _ state: KeyState) throws -> [KeyEvent] {
        if let reason = problem(with: profile, now: now) { throw KeyError.invalidCommand(reason: reason) }
        guard case .none = state else { throw KeyError.alreadyIssued(keyID: profile.keyID) }
        var profile = profile
        profile.roles = profile.roles.sorted()
        return [.issued(profile, at: now)]
    }

    private static func problem(with profile: KeyProfile, now: Date) -> String? {
        if profile.keyID.isEmpty { return "the key id is empty" }
        if !isName(profile.name) { return "name must be 1-\(maximumNameLength) characters, without control characters" }
        if profile.roles.isEmpty { return "a key needs at least one role" }
        if profile.secretSHA256.count != 32 { return "the secret hash is not SHA-256" }
        if ![profile.userID, profile.departmentID].allSatisfy({ $0.map(isName) ?? true }) || !isName(profile.group) {
            return "user_id, department_id and group are 1-\(maximumNameLength) characters"
        }
        if profile.allowedModels.count > maximumAllowedModels || !profile.allowedModels.allSatisfy(isName) {
            return "allowed_models lists at most \(maximumAllowedModels) model names"
        }
        if let expiresAt = profile.expiresAt, expiresAt <= now { return "expires_at must be in the future" }
        return nil
    }

    private static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= maximumNameLength
            && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
