import Crypto
import Foundation

extension MasterKey {
    /// `secret` sealed with this key (AES-GCM, base64 of nonce, ciphertext and tag), bound to
    /// `context`: it opens only under this key and for that context. The nonce is an HMAC of
    /// the context and the secret, so sealing the same secret for the same context again gives
    /// the same text (a retried write changes nothing) and two different secrets never share one.
    public func seal(secret: String, context: String) throws -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(context)\u{0}\(secret)".utf8), using: subkey("secret-nonce"))
        let nonce = try AES.GCM.Nonce(data: Data(mac).prefix(12))
        let box = try AES.GCM.seal(Data(secret.utf8), using: subkey("secret-seal"), nonce: nonce, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw MasterKeyError.doesNotOpen }
        return combined.base64EncodedString()
    }

    /// The secret ``seal(secret:context:)`` sealed.
    /// - Throws: ``MasterKeyError/doesNotOpen`` when another key sealed it, or for another context.
    public func open(sealed: String, context: String) throws -> String {
        do {
            guard let combined = Data(base64Encoded: sealed) else { throw MasterKeyError.doesNotOpen }
            let opened = try AES.GCM.open(try AES.GCM.SealedBox(combined: combined), using: subkey("secret-seal"),
                                          authenticating: Data(context.utf8))
            guard let text = String(data: opened, encoding: .utf8) else { throw MasterKeyError.doesNotOpen }
            return text
        } catch {
            throw MasterKeyError.doesNotOpen
        }
    }

    /// A key of its own for each use, derived from this one (HKDF-SHA256): the nonce's HMAC
    /// and the seal never share a key, nor share one with the wrapping of subject keys.
    private func subkey(_ use: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data("eventloom-master-key-\(use)-v1".utf8), outputByteCount: 32)
    }
}
