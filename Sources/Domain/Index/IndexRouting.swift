/// Which version answers a search, sticky by routing key (a user or a session).
///
/// A key's bucket is `fmix64(FNV-1a-64(UTF-8 of the key)) mod 10,000`; the versions take
/// consecutive bucket ranges by their weights, in order (the canary first). A key therefore
/// keeps its version while the weights stay, and as the canary's share grows, keys only
/// move onto it, never off. Pinned keys always get the canary.
public struct IndexRouting: Sendable, Hashable {
    /// Buckets the weights are cut into (0.01 % each).
    public static let buckets = 10_000

    public let weights: [IndexWeight]
    public let pinnedKeys: Set<String>
    public let canary: Int?

    public init(weights: [IndexWeight], pinnedKeys: [String] = [], canary: Int? = nil) {
        self.weights = weights
        self.pinnedKeys = Set(pinnedKeys)
        self.canary = canary
    }

    /// The version that answers searches routed by `key`.
    public func version(for key: String) -> Int {
        if let canary, pinnedKeys.contains(key) { return canary }
        let bucket = Self.bucket(key)
        var upper = 0
        for weight in weights where weight.percent > 0 {
            upper += weight.percent * Self.buckets / 100
            if bucket < upper { return weight.version }
        }
        return weights.last(where: { $0.percent > 0 })?.version ?? weights[0].version
    }

    /// The bucket of `key`, in 0..<10,000.
    public static func bucket(_ key: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int(mix(hash) % UInt64(buckets))
    }

    /// MurmurHash3's 64-bit finaliser: spreads FNV's low bits, which alone follow the
    /// last bytes of similar keys too closely.
    private static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h &*= 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }
}
