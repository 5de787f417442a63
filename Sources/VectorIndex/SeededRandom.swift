import Domain
import Foundation

/// Numbers that are the same on every run (``FastRandom``'s SplitMix64, and Box–Muller for
/// the normal distribution): seeded vectors for benchmarks and tests.
public struct SeededRandom: Sendable {
    private var source: FastRandom

    public init(seed: UInt64) { source = FastRandom(seed: seed) }

    public mutating func next() -> UInt64 { source.next() }

    /// A normally distributed number (mean 0, deviation 1).
    public mutating func gaussian() -> Float {
        let u = max(Double(next() >> 11) / Double(1 << 53), .leastNonzeroMagnitude)
        let v = Double(next() >> 11) / Double(1 << 53)
        return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
    }

    /// `count` vectors of `dimension` around `clusters` random centres, each component off
    /// its centre's by `spread` deviations; vector i is near centre i mod `clusters`.
    public mutating func clustered(count: Int, dimension: Int, clusters: Int, spread: Float = 0.3) -> [[Float]] {
        let centres = (0..<clusters).map { _ in (0..<dimension).map { _ in gaussian() } }
        return (0..<count).map { i in centres[i % clusters].map { $0 + spread * gaussian() } }
    }
}
