/// Where a key is in its life. Only an active key that is not deleted authenticates.
public enum KeyStatus: String, Sendable, Hashable, Codable {
    case active
    /// Switched off by an administrator; can be enabled again.
    case disabled
    /// Past its expiry time; a renewal makes it active again.
    case expired
    /// Revoked for good.
    case revoked
}
