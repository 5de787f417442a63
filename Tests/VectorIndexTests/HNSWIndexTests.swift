import Domain
import Foundation
import Testing
import VectorIndex

@Suite struct HNSWIndexTests {
    @Test(arguments: VectorMetric.allCases)
    func search_onSmallIndex_equalsExactSearch(metric: VectorMetric) throws {
        var source = SeededRandom(seed: 7)
        let vectors = source.clustered(count: 500, dimension: 16, clusters: 10)
        let index = try HNSWIndex(metric: metric, dimension: 16, parameters: .init(efSearch: 500))
        var exact = ExactIndex(metric: metric, dimension: 16)
        for (i, vector) in vectors.enumerated() {
            try index.add(vector, label: UInt64(i))
            exact.add(vector, label: UInt64(i))
        }
        for query in source.clustered(count: 20, dimension: 16, clusters: 10) {
            let found = try index.search(query, k: 10)
            let expected = exact.search(query, k: 10)
            #expect(found.map(\.label) == expected.map(\.label))
            for (a, b) in zip(found, expected) { #expect(abs(a.distance - b.distance) < 1e-3) }
        }
    }

    @Test func recall_onClusteredVectors_isAtLeast95Percent() throws {
        var source = SeededRandom(seed: 11)
        let vectors = source.clustered(count: 5_000, dimension: 64, clusters: 50)
        let index = try HNSWIndex(metric: .cosine, dimension: 64, parameters: .init(m: 16, efConstruction: 200, efSearch: 200))
        var exact = ExactIndex(metric: .cosine, dimension: 64)
        for (i, vector) in vectors.enumerated() {
            try index.add(vector, label: UInt64(i))
            exact.add(vector, label: UInt64(i))
        }
        var hits = 0
        let queries = source.clustered(count: 100, dimension: 64, clusters: 50)
        for query in queries {
            let truth = Set(exact.search(query, k: 10).map(\.label))
            hits += try index.search(query, k: 10).filter { truth.contains($0.label) }.count
        }
        #expect(Double(hits) / Double(queries.count * 10) >= 0.95)
    }

    @Test func markDeleted_hidesTheVector_andUnknownLabelsAreRefused() throws {
        let index = try HNSWIndex(metric: .l2, dimension: 2)
        try index.add([0, 0], label: 1)
        try index.add([1, 1], label: 2)
        try index.add([5, 5], label: 3)
        try index.markDeleted(1)
        #expect(try index.search([0, 0], k: 3).map(\.label) == [2, 3])
        #expect(index.deletedCount == 1)
        #expect { try index.markDeleted(9) } throws: { ($0 as? VectorIndexError)?.code == .unknownLabel(9) }
        #expect { try index.markDeleted(1) } throws: { ($0 as? VectorIndexError)?.code == .unknownLabel(1) }
    }

    @Test func add_withWrongDimensionOrNaN_isRefused() throws {
        let index = try HNSWIndex(metric: .l2, dimension: 3)
        #expect(throws: VectorIndexError(.dimensionMismatch(expected: 3, got: 2))) { try index.add([1, 2], label: 1) }
        #expect(throws: VectorIndexError(.notFinite)) { try index.add([1, .nan, 2], label: 1) }
        #expect(throws: VectorIndexError(.notFinite)) { try index.search([1, .infinity, 2], k: 1) }
        #expect(index.count == 0)
    }

    @Test func add_pastCapacity_grows() throws {
        let index = try HNSWIndex(metric: .l2, dimension: 4, capacity: 16)
        for i in 0..<3_000 { try index.add([Float(i), 0, 0, 0], label: UInt64(i)) }
        #expect(index.count == 3_000)
        #expect(try index.search([2_999, 0, 0, 0], k: 1).first?.label == 2_999)
    }

    @Test func saveAndLoad_givesTheSameResults_andAnotherDimensionIsRefused() throws {
        var source = SeededRandom(seed: 3)
        let vectors = source.clustered(count: 300, dimension: 8, clusters: 5)
        let index = try HNSWIndex(metric: .innerProduct, dimension: 8)
        for (i, vector) in vectors.enumerated() { try index.add(vector, label: UInt64(i)) }
        try index.markDeleted(4)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hnsw-\(UUID()).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try index.save(to: path)

        let loaded = try HNSWIndex.load(from: path, metric: .innerProduct, dimension: 8, efSearch: 64)
        #expect(loaded.count == 300)
        #expect(loaded.deletedCount == 1)
        for query in vectors.prefix(10) {
            #expect(try loaded.search(query, k: 5) == index.search(query, k: 5))
        }
        #expect(throws: VectorIndexError.self) {
            try HNSWIndex.load(from: path, metric: .innerProduct, dimension: 16, efSearch: 64)
        }
        #expect(throws: VectorIndexError.self) {
            try HNSWIndex.load(from: path + ".missing", metric: .innerProduct, dimension: 8, efSearch: 64)
        }
    }

    @Test func searchesDuringInserts_areSafe() async throws {
        let index = try HNSWIndex(metric: .l2, dimension: 8, capacity: 16)
        var source = SeededRandom(seed: 5)
        let vectors = source.clustered(count: 4_000, dimension: 8, clusters: 8)
        try index.add(vectors[0], label: 0)
        let searched = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for (i, vector) in vectors.enumerated().dropFirst() { try index.add(vector, label: UInt64(i)) }
                return 0
            }
            for _ in 0..<3 {
                group.addTask {
                    var found = 0
                    for query in vectors.prefix(500) { found += try index.search(query, k: 5).count }
                    return found
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(index.count == 4_000)
        #expect(searched >= 1_500)
    }
}

@Suite struct HNSWDeterminismTests {
    /// A graph loaded from a file and grown gives what one built in one go gives.
    @Test func loadedAndGrown_equalsBuiltAtOnce() throws {
        var source = SeededRandom(seed: 21)
        let vectors = source.clustered(count: 2_000, dimension: 16, clusters: 20)
        let parameters = HNSWParameters(m: 8, efConstruction: 40, efSearch: 16, seed: 7)
        let whole = try HNSWIndex(metric: .l2, dimension: 16, parameters: parameters)
        for (i, vector) in vectors.enumerated() { try whole.add(vector, label: UInt64(i)) }

        let half = try HNSWIndex(metric: .l2, dimension: 16, parameters: parameters)
        for (i, vector) in vectors.enumerated().prefix(1_000) { try half.add(vector, label: UInt64(i)) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hnsw-\(UUID()).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try half.save(to: path)
        let grown = try HNSWIndex.load(from: path, metric: .l2, dimension: 16, efSearch: 16, seed: 7)
        for (i, vector) in vectors.enumerated().dropFirst(1_000) { try grown.add(vector, label: UInt64(i)) }

        for query in source.clustered(count: 50, dimension: 16, clusters: 20) {
            #expect(try grown.search(query, k: 10) == whole.search(query, k: 10))
        }
    }
}
