import Crypto
import Foundation
import _CryptoExtras

/// Passwords of shared links, stored only as `pbkdf2-sha256$<rounds>$<salt>$<hash>`
/// (base64, 16-byte salt, 32-byte hash) and checked in constant time.
enum SharePassword {
    static let rounds = 210_000
    static let maximumLength = 200

    static func hash(_ password: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let derived = try derive(password, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(derived).base64EncodedString())"
    }

    /// Whether `password` is the one `stored` was made from; false for a malformed `stored`.
    static func matches(_ password: String, stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), (1...10_000_000).contains(rounds),
              let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
              let derived = try? derive(password, salt: Array(salt), rounds: rounds), derived.count == expected.count else {
            return false
        }
        return zip(derived, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func derive(_ password: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32,
                                                    unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}
