import Crypto
import Foundation

/// A data subject's key, unwrapped: the 32 random bytes stored wrapped in `subject_keys`,
/// and the two keys derived from them, one to encrypt, one to derive nonces. (Immutable:
/// `SymmetricKey` is not marked `Sendable`, but nothing changes it after it is made.)
struct DataKey: @unchecked Sendable {
    let encryption: SymmetricKey
    let nonces: SymmetricKey
    /// An HMAC keyed with `nonces`, not yet fed: each nonce starts from a copy of it,
    /// which saves setting the key up per field.
    let nonceMAC: HMAC<SHA256>

    init(_ material: SymmetricKey) {
        encryption = HKDF<SHA256>.deriveKey(inputKeyMaterial: material, info: Data("eventloom field encryption".utf8),
                                            outputByteCount: 32)
        nonces = HKDF<SHA256>.deriveKey(inputKeyMaterial: material, info: Data("eventloom field nonces".utf8),
                                        outputByteCount: 32)
        nonceMAC = HMAC<SHA256>(key: nonces)
    }

    /// New random key material (256 bits).
    static func generate() -> SymmetricKey { SymmetricKey(size: .bits256) }
}
