import Crypto
@testable import EventStore
import Testing

/// RFC 6962 tree hashing, proofs and their verification, against a direct transcription
/// of the RFC's definitions (no IO).
@Suite struct MerkleTests {
    /// MTH(D[n]) as RFC 6962 §2.1 defines it.
    static func mth(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        if leaves.isEmpty { return Merkle.empty }
        if leaves.count == 1 { return Merkle.leaf(leaves.first!) }
        let k = Int(Merkle.split(Int64(leaves.count)))
        return Merkle.node(mth(leaves.prefix(k)), mth(leaves.dropFirst(k)))
    }

    static func events(_ count: Int) -> [[UInt8]] {
        (0..<count).map { Array(SHA256.hash(data: [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)])) }
    }

    /// A prover whose nodes are computed from `leaves`, as the stored tree holds them.
    static func prover(_ leaves: [[UInt8]]) -> MerkleProver {
        MerkleProver { level, index in
            let size = 1 << level
            return mth(leaves[(Int(index) * size)..<(Int(index) * size + size)])
        }
    }

    @Test func theFrontiersRoot_isTheTreeHash_atEverySize_andItsCompletedNodesAreTheSubtrees() {
        let leaves = Self.events(70)
        var frontier = MerkleFrontier()
        #expect(frontier.root == Merkle.empty)
        for (n, leaf) in leaves.enumerated() {
            for completed in frontier.append(leaf: Merkle.leaf(leaf)) {
                let size = 1 << completed.level
                #expect(completed.hash == Self.mth(leaves[(Int(completed.index) * size)..<(Int(completed.index) * size + size)]))
            }
            #expect(frontier.root == Self.mth(leaves.prefix(n + 1)), "size \(n + 1)")
            let restored = MerkleFrontier(size: frontier.size, roots: frontier.subtrees.map(\.hash))
            #expect(restored.root == frontier.root)
        }
    }

    @Test func everyInclusionProof_verifies_andNoAlteredOneDoes() async throws {
        let leaves = Self.events(37)
        let prover = Self.prover(leaves)
        for size in 1...leaves.count {
            let root = Self.mth(leaves.prefix(size))
            for index in 0..<size {
                let path = try await prover.inclusionPath(index: Int64(index), size: Int64(size))
                let leaf = Merkle.leaf(leaves[index])
                #expect(Merkle.verifyInclusion(leafHash: leaf, index: Int64(index), size: Int64(size), path: path, root: root))
                #expect(!Merkle.verifyInclusion(leafHash: Merkle.leaf([1]), index: Int64(index), size: Int64(size), path: path, root: root))
                if size > 1 {
                    #expect(!Merkle.verifyInclusion(leafHash: leaf, index: Int64((index + 1) % size), size: Int64(size), path: path, root: root))
                    var altered = path
                    altered[0][0] ^= 1
                    #expect(!Merkle.verifyInclusion(leafHash: leaf, index: Int64(index), size: Int64(size), path: altered, root: root))
                }
            }
        }
    }

    @Test func everyConsistencyProof_verifies_andNoneForAnotherHistoryDoes() async throws {
        let leaves = Self.events(33)
        var other = leaves
        other[4] = [0xFF]
        let prover = Self.prover(leaves)
        for newSize in 1...leaves.count {
            let newRoot = Self.mth(leaves.prefix(newSize))
            for oldSize in 1...newSize {
                let proof = try await prover.consistencyProof(oldSize: Int64(oldSize), newSize: Int64(newSize))
                let oldRoot = Self.mth(leaves.prefix(oldSize))
                #expect(Merkle.verifyConsistency(oldSize: Int64(oldSize), newSize: Int64(newSize), oldRoot: oldRoot, newRoot: newRoot,
                                                 proof: proof), "\(oldSize) → \(newSize)")
                if oldSize > 4 {
                    let forged = Self.mth(other.prefix(oldSize))
                    #expect(!Merkle.verifyConsistency(oldSize: Int64(oldSize), newSize: Int64(newSize), oldRoot: forged, newRoot: newRoot,
                                                      proof: proof), "a rewritten history \(oldSize) → \(newSize)")
                }
            }
        }
    }
}
