import Crypto
import Foundation

/// Encrypts one personal string with its data subject's key (AES-256-GCM), bound to its
/// place: the tenant, the subject, the event id, the path and which string of that path it
/// is are authenticated, so a ciphertext copied elsewhere does not open.
///
/// The nonce is derived from the place and the plaintext (synthetic, as in SIV): an append
/// re-sent with the same event ids stores the same bytes (the log's idempotency compares
/// them), and two different strings never share a nonce under one key.
enum FieldCipher {
    /// How a stored personal string begins: the format's version.
    static let prefix = "eld1:"
    /// What a personal string reads as once its subject is erased.
    static let erased = "[erased]"

    /// `plaintext` sealed for `place`, as the stored string.
    static func seal(_ plaintext: String, with key: DataKey, for place: FieldPlace) throws -> String {
        let context = place.authenticatedData
        let bytes = Data(plaintext.utf8)
        var mac = key.nonceMAC
        mac.update(data: context)
        mac.update(data: bytes)
        let nonce = try mac.finalize().withUnsafeBytes { try AES.GCM.Nonce(data: Data($0.prefix(12))) }
        let box = try AES.GCM.seal(bytes, using: key.encryption, nonce: nonce, authenticating: context)
        guard let combined = box.combined else { throw FieldCipherError.malformed }
        return prefix + combined.base64EncodedString()
    }

    /// The plaintext of `stored`, sealed for `place`.
    /// - Throws: ``FieldCipherError`` when it is not a sealed string or does not open (wrong key or place).
    static func open(_ stored: String, with key: DataKey, for place: FieldPlace) throws -> String {
        guard stored.hasPrefix(prefix), let combined = Data(base64Encoded: String(stored.dropFirst(prefix.count))) else {
            throw FieldCipherError.malformed
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            let plaintext = try AES.GCM.open(box, using: key.encryption, authenticating: place.authenticatedData)
            return String(decoding: plaintext, as: UTF8.self)
        } catch {
            throw FieldCipherError.doesNotOpen
        }
    }
}

/// Where a personal string is stored: what its ciphertext is bound to.
struct FieldPlace: Sendable, Hashable {
    let tenant: String
    let subject: String
    let eventID: UUID
    let path: String
    /// Which string of `path` it is, in document order (0 unless in an array).
    let index: Int

    /// Each part prefixed by its byte length (4 bytes, big-endian), so that no two places
    /// share a byte string.
    var authenticatedData: Data {
        var data = Data("eventloom-field-v1".utf8)
        for part in [tenant, subject, eventID.lowercaseString, path, String(index)] {
            let bytes = Array(part.utf8)
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: bytes)
        }
        return data
    }
}

enum FieldCipherError: Error, Equatable {
    /// Not a string this format stores.
    case malformed
    /// Sealed with another key, or for another place, or altered.
    case doesNotOpen
}
