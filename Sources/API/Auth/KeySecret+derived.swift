import Crypto
import EventStore
import Foundation

extension KeySecret {
    /// The key id and secret of an issue made with an `Idempotency-Key`: HMAC-SHA256, under
    /// the server's own key-derivation secret, of the issuing caller's key id, the tenant and
    /// the idempotency key. A retry by the same caller derives the same key, so the first
    /// response can be given again without the secret being stored anywhere; without the
    /// server's secret (256 random bits, in `server_secrets`) nobody can derive it.
    static func derived(key: SymmetricKey, callerKeyID: String, tenant: String, idempotencyKey: String) -> KeySecret {
        let idCode = HMAC<SHA256>.authenticationCode(
            for: Data("eventloom key id\0\(callerKeyID)\0\(tenant)\0\(idempotencyKey)".utf8), using: key)
        let keyID = Hex.encode(Array(idCode).prefix(8))
        let secretCode = HMAC<SHA256>.authenticationCode(for: Data("eventloom key secret\0\(keyID)".utf8), using: key)
        return KeySecret(keyID: keyID, text: "elk_\(keyID)_\(base64URL(Array(secretCode)))")
    }
}
