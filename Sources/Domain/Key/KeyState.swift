import Foundation

/// A key not yet issued, usable, or revoked.
public enum KeyState: Sendable, Equatable {
    case none
    case active(keyID: String, name: String, roles: [KeyRole], issuedAt: Date)
    case revoked(keyID: String, name: String, roles: [KeyRole], revokedAt: Date)
}
