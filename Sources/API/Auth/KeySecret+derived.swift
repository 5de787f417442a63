import EventStore
import Crypto
import Foundation

extension KeySecret {
    /// The key id and secret of an issue made with an `Idempotency-Key`: HMAC-SHA256 under
    /// the issuing caller's own key, of the tenant and the idempotency key. A retry by the
    /// same caller derives the same secret, so the first response can be given again
    /// without the secret being stored anywhere; a caller without that key cannot derive it.
    static func derived(callerKey: String, tenant: String, idempotencyKey: String) -> KeySecret {
        let key = SymmetricKey(data: Data(callerKey.utf8))
        let idCode = HMAC<SHA256>.authenticationCode(for: Data("eventloom key id\0\(tenant)\0\(idempotencyKey)".utf8), using: key)
        let keyID = Hex.encode(Array(idCode).prefix(8))
        let secretCode = HMAC<SHA256>.authenticationCode(for: Data("eventloom key secret\0\(keyID)".utf8), using: key)
        return KeySecret(keyID: keyID, text: "elk_\(keyID)_\(base64URL(Array(secretCode)))")
    }
}
