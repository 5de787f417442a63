import Foundation

extension Key {
    public static func evolve(_ state: KeyState, _ event: KeyEvent) -> KeyState {
        if case .issued(let profile, let at) = event {
            return .issued(KeyRecord(profile: profile, issuedAt: at, changedAt: at))
        }
        guard var record = state.record else { return state }
        switch event {
        case .issued: break
        case .revoked(_, let at): record.status = .revoked; record.changedAt = at
        case .disabled(_, let at): record.status = .disabled; record.changedAt = at
        case .enabled(_, let at): record.status = .active; record.changedAt = at
        case .expired(_, let at): record.status = .expired; record.changedAt = at
        case .deleted(_, let at): record.deleted = true; record.changedAt = at
        case .restored(_, let at): record.deleted = false; record.changedAt = at
        case .renewed(_, let expiresAt, let at):
            record.profile.expiresAt = expiresAt
            if record.status == .expired { record.status = .active }
            record.changedAt = at
        }
        return .issued(record)
    }
}
