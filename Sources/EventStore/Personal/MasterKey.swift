import Crypto
import Foundation

/// The key-encryption key: it wraps every data subject's key in `subject_keys`. It comes
/// from configuration (`EVENTLOOM_MASTER_KEY` or a key file), never from the database, so
/// that a copy of the database alone opens no personal data. (Immutable: `SymmetricKey` is
/// not marked `Sendable`, but nothing changes it after it is made.)
public struct MasterKey: @unchecked Sendable {
    let key: SymmetricKey
    /// Names the key without revealing it: stored beside each key it wrapped, so that a
    /// process started with another master key says so at once.
    public let id: String

    /// The key `text` encodes: 32 bytes, in base64 (as `eventloom dev` writes it).
    /// - Throws: ``MasterKeyError`` when `text` is not 32 bytes of base64.
    public init(base64 text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: trimmed), bytes.count == 32 else { throw MasterKeyError.notAKey }
        self.init(SymmetricKey(data: bytes))
    }

    init(_ key: SymmetricKey) {
        self.key = key
        let digest = SHA256.hash(data: Data("eventloom master key id".utf8) + key.withUnsafeBytes { Data($0) })
        id = digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// A new random master key, as the base64 text ``init(base64:)`` reads.
    public static func generateText() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
    }

    /// `material` (a subject's key) sealed for `tenant` and `subject`.
    func wrap(_ material: SymmetricKey, tenant: String, subject: String) throws -> Data {
        let box = try AES.GCM.seal(material.withUnsafeBytes { Data($0) }, using: key,
                                   authenticating: Self.context(tenant: tenant, subject: subject))
        guard let combined = box.combined else { throw MasterKeyError.doesNotOpen }
        return combined
    }

    /// The subject key `wrapped` holds.
    /// - Throws: ``MasterKeyError/doesNotOpen`` when another master key wrapped it, or for another subject.
    func unwrap(_ wrapped: Data, tenant: String, subject: String) throws -> SymmetricKey {
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped)
            return SymmetricKey(data: try AES.GCM.open(box, using: key, authenticating: Self.context(tenant: tenant, subject: subject)))
        } catch {
            throw MasterKeyError.doesNotOpen
        }
    }

    private static func context(tenant: String, subject: String) -> Data {
        Data("eventloom-subject-key-v1\u{0}\(tenant)\u{0}\(subject)".utf8)
    }
}

public enum MasterKeyError: Error, Equatable, CustomStringConvertible {
    case notAKey
    case doesNotOpen

    public var description: String {
        switch self {
        case .notAKey: "the master key must be 32 bytes in base64 (44 characters), e.g. from `openssl rand -base64 32`"
        case .doesNotOpen: "a subject key does not open with this master key"
        }
    }
}
