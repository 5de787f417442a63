import Crypto
import EventStore
import Foundation

/// A search's id, `<version>.<uuid>.<mac>`: the version that answered it, a random part,
/// and an HMAC-SHA-256 (first 16 bytes, hex) under the server's key over the tenant, the
/// index, the version and the random part. The feedback route reads the version from it
/// and accepts only ids this server gave out for that tenant and index.
struct SearchID: Equatable {
    let version: Int
    let text: String

    /// A new id for a search of `index`'s `version` by `tenant`.
    static func make(version: Int, tenant: String, index: String, key: SymmetricKey) -> SearchID {
        let random = UUID().uuidString.lowercased()
        return SearchID(version: version, text: "\(version).\(random).\(mac(version, random, tenant: tenant, index: index, key: key))")
    }

    /// The id `text` if this server gave it out for a search of `index` by `tenant`; else nil.
    static func verified(_ text: String, tenant: String, index: String, key: SymmetricKey) -> SearchID? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts[0].count <= 4, let version = Int(parts[0]), version > 0, String(version) == parts[0],
              parts[1].count == 36, parts[2].count == 32
        else { return nil }
        let expected = Array(mac(version, parts[1], tenant: tenant, index: index, key: key).utf8)
        let given = Array(parts[2].utf8)
        // Compared in constant time.
        guard expected.count == given.count, zip(expected, given).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        return SearchID(version: version, text: text)
    }

    private static func mac(_ version: Int, _ random: String, tenant: String, index: String, key: SymmetricKey) -> String {
        let message = Data("\(tenant)\n\(index)\n\(version)\n\(random)".utf8)
        return Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: key).prefix(16))
    }
}
