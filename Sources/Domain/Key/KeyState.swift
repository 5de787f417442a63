import Foundation

/// A key not yet issued, or issued with its profile and where it is in its life.
public enum KeyState: Sendable, Hashable {
    case none
    case issued(KeyRecord)

    /// The record of an issued key.
    public var record: KeyRecord? {
        if case .issued(let record) = self { return record }
        return nil
    }
}

/// An issued key.
public struct KeyRecord: Sendable, Hashable, Codable {
    public var profile: KeyProfile
    public var status: KeyStatus
    /// Soft-deleted: hidden and unusable until restored.
    public var deleted: Bool
    public var issuedAt: Date
    /// When the status, deletion or expiry last changed.
    public var changedAt: Date

    public init(profile: KeyProfile, status: KeyStatus = .active, deleted: Bool = false, issuedAt: Date, changedAt: Date) {
        self.profile = profile
        self.status = status
        self.deleted = deleted
        self.issuedAt = issuedAt
        self.changedAt = changedAt
    }

    /// True when the key authenticates at `now`: active, not deleted, not past its expiry.
    public func isUsable(at now: Date) -> Bool {
        status == .active && !deleted && (profile.expiresAt.map { now < $0 } ?? true)
    }

    /// The status as a caller sees it at `now`: an active key past its expiry is expired
    /// even before the expiry is recorded.
    public func effectiveStatus(at now: Date) -> KeyStatus {
        if status == .active, let expiresAt = profile.expiresAt, now >= expiresAt { return .expired }
        return status
    }
}
