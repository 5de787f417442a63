import Domain
import Foundation

/// Lock commands and states by holder name, for the store's tests: each holder proves
/// itself with an owner token derived from its name.
extension LockCommand {
    static func acquire(holder: String, lease: TimeInterval, now: Date) -> LockCommand {
        .acquire(LockClaim(owner: holder, ownerTokenSHA256: ownerTokenHash(holder), ttl: lease), now: now)
    }

    static func release(holder: String, now: Date) -> LockCommand {
        .release(ownerTokenSHA256: ownerTokenHash(holder), now: now)
    }
}

extension LockGrant {
    static func of(_ holder: String, token: Int64, at: Date, until: Date) -> LockGrant {
        LockGrant(token: token, owner: holder, ownerTokenSHA256: ownerTokenHash(holder), since: at, expiresAt: until)
    }
}

/// A 64-digit lowercase hex string naming `holder` (its UTF-8 bytes, zero-padded).
func ownerTokenHash(_ holder: String) -> String {
    let hex = holder.utf8.map { String(format: "%02x", $0) }.joined()
    return String(repeating: "0", count: max(0, 64 - hex.count)) + hex.prefix(64)
}
