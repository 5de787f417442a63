import EventStore
import Crypto
import Foundation

/// An API key's secret: `elk_<key id>_<43 base64url characters>`; stored only as SHA-256.
struct KeySecret: Sendable {
    let keyID: String
    let text: String

    /// A new key id and secret from the system's random generator.
    static func generate() -> KeySecret {
        var generator = SystemRandomNumberGenerator()
        let keyID = Hex.random(bytes: 8)
        let secret = "elk_\(keyID)_\(base64URL((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }))"
        return KeySecret(keyID: keyID, text: secret)
    }

    /// SHA-256 of a presented secret: what the keys read model is searched by.
    static func sha256(_ text: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(text.utf8)))
    }

    /// 32 bytes give 43 characters.
    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
