import Foundation

/// What an administrator asks of a key. Ids, the secret's hash and time come in on the command.
public enum KeyCommand: Sendable, Equatable {
    /// Issue the key `keyID` named `name` with `roles`, for the secret whose SHA-256 is `secretSHA256`.
    case issue(keyID: String, name: String, roles: Set<KeyRole>, secretSHA256: [UInt8], now: Date)
    /// Revoke the key: it authenticates nothing from `now` on.
    case revoke(now: Date)
}
