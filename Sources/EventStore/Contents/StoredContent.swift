import Crypto
import Domain

/// Where a document's content is kept and deduplicated: the shared scope of its tenant, or
/// the private scope of one data subject (erased with them).
public struct ContentScope: Sendable, Hashable {
    public let tenant: String
    /// "" for shared documents, the owner's subject id for private ones.
    public let scope: String

    public init(tenant: String, privateTo subject: String? = nil) {
        self.tenant = tenant
        self.scope = subject ?? ""
    }
}

/// Content ready to be written with its commit: the full bytes or a delta against an
/// earlier content, chosen before the commit's transaction so that it stays short.
public struct ContentWrite: Sendable {
    public let scope: ContentScope
    public let sha256: [UInt8]
    public let size: Int
    let depth: Int
    let previous: [UInt8]?
    let base: [UInt8]?
    let data: [UInt8]
    /// False when the store holds this content already: nothing is written.
    public let isNew: Bool

    /// Bytes the row stores (the delta, or the full content).
    public var storedBytes: Int { isNew ? data.count : 0 }

    static func existing(_ scope: ContentScope, sha256: [UInt8], size: Int) -> ContentWrite {
        ContentWrite(scope: scope, sha256: sha256, size: size, depth: 0, previous: nil, base: nil, data: [], isNew: false)
    }
}

/// The SHA-256 of content, as bytes and as the hex the events record.
public enum ContentHash {
    public static func of(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
    public static func hex(_ bytes: [UInt8]) -> String { Hex.encode(of(bytes)) }
}
