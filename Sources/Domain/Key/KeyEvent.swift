import Foundation

/// What happened to a key.
public enum KeyEvent: Sendable, Equatable {
    /// The key `keyID` was issued with `roles`; `secretSHA256` identifies its secret.
    case issued(keyID: String, name: String, roles: [KeyRole], secretSHA256: [UInt8], at: Date)
    /// The key was revoked at `at`.
    case revoked(keyID: String, at: Date)
}
