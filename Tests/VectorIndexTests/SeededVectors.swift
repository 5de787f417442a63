import Foundation

/// Clustered vectors from a fixed seed (SplitMix64 and Box–Muller): the same every run.
struct SeededVectors {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 24) }

    mutating func gaussian() -> Float {
        let u = max(uniform(), .leastNonzeroMagnitude)
        let v = uniform()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * .pi * v)
    }

    /// `count` vectors around `clusters` random centres.
    mutating func clustered(count: Int, dimension: Int, clusters: Int) -> [[Float]] {
        let centres = (0..<clusters).map { _ in (0..<dimension).map { _ in gaussian() } }
        return (0..<count).map { i in centres[i % clusters].map { $0 + 0.3 * gaussian() } }
    }
}
