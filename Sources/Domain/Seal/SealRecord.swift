import Foundation

/// One seal: the signed head of the Merkle tree over the log's first `treeSize` events.
public struct SealRecord: Sendable, Hashable {
    public let sequence: Int64
    public let treeSize: Int64
    /// The tree hash, hex.
    public let rootHash: String
    /// The cursor of the last event covered.
    public let through: String
    public let sealedAt: Date
    public let keyID: String
    /// The Ed25519 public key, hex.
    public let publicKey: String
    /// Ed25519 over ``signedText``, hex.
    public let signature: String

    public init(sequence: Int64, treeSize: Int64, rootHash: String, through: String, sealedAt: Date, keyID: String,
                publicKey: String, signature: String) {
        self.sequence = sequence
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.through = through
        self.sealedAt = sealedAt
        self.keyID = keyID
        self.publicKey = publicKey
        self.signature = signature
    }

    /// What the signature covers: `eventloom-seal-v1 <sequence> <tree_size> <root_hash> <through>`.
    public static func signedText(sequence: Int64, treeSize: Int64, rootHash: String, through: String) -> String {
        "eventloom-seal-v1 \(sequence) \(treeSize) \(rootHash) \(through)"
    }

    public var signedText: String { Self.signedText(sequence: sequence, treeSize: treeSize, rootHash: rootHash, through: through) }
}
