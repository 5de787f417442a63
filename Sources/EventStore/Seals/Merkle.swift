import Crypto
import Foundation

/// RFC 6962 (RFC 9162 §2.1) tree hashing over the log's event hashes: a leaf is
/// SHA-256(0x00 ‖ event hash), a node SHA-256(0x01 ‖ left ‖ right), and the tree over n
/// leaves splits at the largest power of two below n.
public enum Merkle {
    public typealias Hash = [UInt8]

    public static func leaf(_ eventHash: [UInt8]) -> Hash {
        Array(SHA256.hash(data: [0x00] + eventHash))
    }

    public static func node(_ left: Hash, _ right: Hash) -> Hash {
        Array(SHA256.hash(data: [0x01] + left + right))
    }

    /// The hash of the empty tree, SHA-256 of nothing.
    public static let empty: Hash = Array(SHA256.hash(data: [UInt8]()))

    /// The largest power of two below `n` (n > 1).
    static func split(_ n: Int64) -> Int64 {
        var k: Int64 = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// Whether `path` proves that `leafHash` is leaf `index` of the tree of `size` leaves
    /// with root `root` (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(leafHash: Hash, index: Int64, size: Int64, path: [Hash], root: Hash) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in path {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Whether `proof` shows the tree of `newSize` leaves (root `newRoot`) extends the
    /// tree of `oldSize` leaves (root `oldRoot`) (RFC 9162 §2.1.4.2).
    public static func verifyConsistency(oldSize: Int64, newSize: Int64, oldRoot: Hash, newRoot: Hash, proof: [Hash]) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty }
        guard !proof.isEmpty else { return false }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = node(c, fr)
                sr = node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}

/// The roots of the perfect subtrees that make up a tree of `size` leaves, largest
/// first (one per set bit of the size): enough to append leaves and compute the root
/// without the leaves themselves.
public struct MerkleFrontier: Sendable {
    public private(set) var size: Int64 = 0
    /// (level, hash), largest subtree first.
    public private(set) var subtrees: [(level: Int, hash: Merkle.Hash)] = []

    public init() {}

    /// A frontier of `size` leaves from its subtrees' roots, largest first.
    public init(size: Int64, roots: [Merkle.Hash]) {
        self.size = size
        var levels: [Int] = []
        for level in stride(from: 62, through: 0, by: -1) where size & (Int64(1) << level) != 0 { levels.append(level) }
        precondition(levels.count == roots.count, "one root per set bit of the size")
        subtrees = zip(levels, roots).map { ($0, $1) }
    }

    /// Appends a leaf; returns the perfect subtrees it completed, as (level, index, hash),
    /// the leaf itself first (level 0).
    @discardableResult
    public mutating func append(leaf: Merkle.Hash) -> [(level: Int, index: Int64, hash: Merkle.Hash)] {
        var completed: [(level: Int, index: Int64, hash: Merkle.Hash)] = [(0, size, leaf)]
        var carry = (level: 0, hash: leaf)
        while let last = subtrees.last, last.level == carry.level {
            subtrees.removeLast()
            carry = (carry.level + 1, Merkle.node(last.hash, carry.hash))
            completed.append((carry.level, (size + 1) / (Int64(1) << carry.level) - 1, carry.hash))
        }
        subtrees.append(carry)
        size += 1
        return completed
    }

    /// The tree hash over every leaf so far.
    public var root: Merkle.Hash {
        guard var hash = subtrees.last?.hash else { return Merkle.empty }
        for subtree in subtrees.dropLast().reversed() { hash = Merkle.node(subtree.hash, hash) }
        return hash
    }
}

/// Proofs over a tree whose perfect aligned subtrees' roots `node(level, index)` returns
/// (level 0: the leaves), as RFC 6962 §2.1.1 and §2.1.2 define them.
public struct MerkleProver: Sendable {
    let node: @Sendable (_ level: Int, _ index: Int64) async throws -> Merkle.Hash

    public init(node: @escaping @Sendable (_ level: Int, _ index: Int64) async throws -> Merkle.Hash) {
        self.node = node
    }

    /// MTH of the leaves [start, start + size).
    func treeHash(start: Int64, size: Int64) async throws -> Merkle.Hash {
        if size & (size - 1) == 0, start % size == 0 {
            return try await node(size.trailingZeroBitCount, start / size)
        }
        let k = Merkle.split(size)
        return Merkle.node(try await treeHash(start: start, size: k), try await treeHash(start: start + k, size: size - k))
    }

    /// The inclusion path of leaf `index` in the tree of the first `size` leaves.
    public func inclusionPath(index: Int64, size: Int64) async throws -> [Merkle.Hash] {
        try await path(index, start: 0, size: size)
    }

    private func path(_ m: Int64, start: Int64, size: Int64) async throws -> [Merkle.Hash] {
        guard size > 1 else { return [] }
        let k = Merkle.split(size)
        if m < k {
            return try await path(m, start: start, size: k) + [try await treeHash(start: start + k, size: size - k)]
        }
        return try await path(m - k, start: start + k, size: size - k) + [try await treeHash(start: start, size: k)]
    }

    /// The consistency proof from the tree of `oldSize` leaves to that of `newSize`.
    public func consistencyProof(oldSize: Int64, newSize: Int64) async throws -> [Merkle.Hash] {
        guard oldSize > 0, oldSize < newSize else { return [] }
        return try await subproof(oldSize, start: 0, size: newSize, complete: true)
    }

    private func subproof(_ m: Int64, start: Int64, size: Int64, complete: Bool) async throws -> [Merkle.Hash] {
        if m == size { return complete ? [] : [try await treeHash(start: start, size: size)] }
        let k = Merkle.split(size)
        if m <= k {
            return try await subproof(m, start: start, size: k, complete: complete)
                + [try await treeHash(start: start + k, size: size - k)]
        }
        return try await subproof(m - k, start: start + k, size: size - k, complete: false)
            + [try await treeHash(start: start, size: k)]
    }
}
