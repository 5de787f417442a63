import Foundation

/// What happened to a key.
public enum KeyEvent: Sendable, Hashable {
    /// The key was issued with `profile`.
    case issued(KeyProfile, at: Date)
    /// The key was revoked: it authenticates nothing from `at` on, for good.
    case revoked(keyID: String, at: Date)
    /// An administrator switched the key off.
    case disabled(keyID: String, at: Date)
    /// An administrator switched the key back on.
    case enabled(keyID: String, at: Date)
    /// The key reached its expiry time.
    case expired(keyID: String, at: Date)
    /// The key was soft-deleted.
    case deleted(keyID: String, at: Date)
    /// A soft-deleted key was restored.
    case restored(keyID: String, at: Date)
    /// The key's expiry was moved to `expiresAt` (nil: never); an expired key is active again.
    case renewed(keyID: String, expiresAt: Date?, at: Date)
}
