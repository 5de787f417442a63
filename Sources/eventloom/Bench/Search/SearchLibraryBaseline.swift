import Domain
import Foundation
import VectorIndex

/// hnswlib without Eventloom: the same index (parameters, half-precision vectors) built and
/// searched in this process.
struct SearchLibraryBaseline {
    let data: SearchBenchData
    let clients: Int
    let seconds: Int
    let efSearch: Int

    var parameters: HNSWParameters { HNSWParameters(m: 16, efConstruction: 200, efSearch: efSearch, seed: 100) }

    struct Result: Sendable {
        let addsPerSecond: Double
        let queriesPerSecond: Double
        let recall: Double
        let memoryBytes: Int
        /// The index, kept to measure its query rate again beside the HTTP runs.
        let index: HNSWIndex

        var report: String {
            String(format: "library:   hnswlib in-process: %.0f adds/s (one thread); %.0f queries/s with the clients; recall@10 %.3f; %.0f bytes a vector in memory",
                   addsPerSecond, queriesPerSecond, recall, Double(memoryBytes))
        }
    }

    func run() async throws -> Result {
        let index = try HNSWIndex(metric: .cosine, dimension: data.dimension, parameters: parameters,
                                  capacity: data.vectors.count)
        let start = ContinuousClock.now
        for (label, vector) in data.vectors.enumerated() { try index.add(vector, label: UInt64(label)) }
        let adds = Double(data.vectors.count) / (ContinuousClock.now - start).seconds
        var recall = 0.0
        for (i, query) in data.queries.enumerated() { recall += data.recall(i, try index.search(query, k: 10).map(\.label)) }
        return Result(addsPerSecond: adds, queriesPerSecond: try await queryRate(index), recall: recall / Double(data.queries.count),
                      memoryBytes: index.memoryBytes / data.vectors.count, index: index)
    }

    /// Searches per second of `index` by `clients` concurrent tasks for `seconds`, k 10.
    func queryRate(_ index: HNSWIndex) async throws -> Double {
        let queries = data.queries
        let deadline = ContinuousClock.now + .seconds(seconds)
        let began = ContinuousClock.now
        let answered = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        _ = try index.search(queries[(client + count * 7) % queries.count], k: 10)
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(answered) / (ContinuousClock.now - began).seconds
    }
}
