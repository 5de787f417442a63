import Domain
import Foundation
import VectorIndex

/// The benchmark's vectors and queries: seeded and clustered (SplitMix64, Box–Muller;
/// 1,000 clusters), rounded to half precision as Eventloom stores them, with the exact
/// nearest ten of every query.
struct SearchBenchData: Sendable {
    let dimension: Int
    let vectors: [[Float]]
    let queries: [[Float]]
    /// The exact nearest ten labels of each query (cosine).
    let truth: [Set<UInt64>]
    let generationSeconds: Double

    init(count: Int, dimension: Int, queries: Int) {
        let start = ContinuousClock.now
        var random = SeededRandom(seed: 20_261_206)
        let clusters = 1_000
        let centres = (0..<clusters).map { _ in (0..<dimension).map { _ in random.gaussian() } }
        func near(_ centre: [Float]) -> [Float] { HalfPrecision.rounded(centre.map { $0 + 0.35 * random.gaussian() }) }
        self.dimension = dimension
        self.vectors = (0..<count).map { _ in near(centres[Int(random.next() % UInt64(clusters))]) }
        self.queries = (0..<queries).map { _ in near(centres[Int(random.next() % UInt64(clusters))]) }
        var exact = ExactIndex(metric: .cosine, dimension: dimension)
        for (label, vector) in vectors.enumerated() { exact.add(vector, label: UInt64(label)) }
        self.truth = self.queries.map { Set(exact.search($0, k: 10).map(\.label)) }
        self.generationSeconds = (ContinuousClock.now - start).seconds
    }

    /// The share of the exact nearest ten of query `index` among `labels`.
    func recall(_ index: Int, _ labels: [UInt64]) -> Double {
        Double(labels.prefix(10).filter { truth[index].contains($0) }.count) / 10
    }
}
