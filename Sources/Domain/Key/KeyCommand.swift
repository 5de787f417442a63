import Foundation

/// What an administrator (or the expiry reactor) asks of a key. Ids, the secret's hash
/// and time come in on the command.
public enum KeyCommand: Sendable, Hashable {
    case issue(KeyProfile, now: Date)
    case revoke(now: Date)
    case disable(now: Date)
    case enable(now: Date)
    /// Record the expiry of a key past its expiry time; nothing for any other key.
    case expire(now: Date)
    case delete(now: Date)
    case restore(now: Date)
    case renew(expiresAt: Date?, now: Date)
}
