import Crypto
import Foundation

/// The sealer's Ed25519 signing key, from configuration (`EVENTLOOM_SEAL_KEY` or a key
/// file: the 32-byte seed in base64), never from the database. (Immutable: the key type
/// is not marked `Sendable`, but nothing changes it after it is made.)
public struct SealSigningKey: @unchecked Sendable {
    let key: Curve25519.Signing.PrivateKey

    /// - Throws: ``SealKeyError/notAKey`` unless `text` is 32 bytes of base64.
    public init(base64 text: String) throws {
        guard let seed = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), seed.count == 32,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else { throw SealKeyError.notAKey }
        self.key = key
    }

    /// A new random key, as the base64 text ``init(base64:)`` reads.
    public static func generateText() -> String {
        Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString()
    }

    /// The key that checks this key's signatures.
    public var verifyingKey: SealVerifyingKey { SealVerifyingKey(key.publicKey) }

    /// Ed25519 over the UTF-8 of `text`, hex.
    func sign(_ text: String) throws -> String {
        Hex.encode(Array(try key.signature(for: Data(text.utf8))))
    }
}

/// A seal's public key: what checks its signature. Auditors get it as hex
/// (`eventloom verify --seals --seal-public-key`, scripts/verify-seals.py).
public struct SealVerifyingKey: @unchecked Sendable, Equatable {
    let key: Curve25519.Signing.PublicKey

    init(_ key: Curve25519.Signing.PublicKey) {
        self.key = key
    }

    /// - Throws: ``SealKeyError/notAKey`` unless `hex` is 32 bytes of hex.
    public init(hex: String) throws {
        guard let bytes = Hex.decode(hex.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { throw SealKeyError.notAKey }
        self.key = key
    }

    /// The key, hex.
    public var hex: String { Hex.encode(Array(key.rawRepresentation)) }

    /// The first 16 hex digits of SHA-256 of the key.
    public var id: String { String(Hex.encode(Array(SHA256.hash(data: key.rawRepresentation))).prefix(16)) }

    /// Whether `signature` (hex) signs `text` with this key.
    public func isValid(signature: String, for text: String) -> Bool {
        guard let bytes = Hex.decode(signature) else { return false }
        return key.isValidSignature(Data(bytes), for: Data(text.utf8))
    }

    public static func == (a: SealVerifyingKey, b: SealVerifyingKey) -> Bool { a.hex == b.hex }
}

public enum SealKeyError: Error, Equatable, CustomStringConvertible {
    case notAKey

    public var description: String { "not an Ed25519 key (the seal key is 32 bytes in base64, the public key 32 bytes in hex)" }
}
