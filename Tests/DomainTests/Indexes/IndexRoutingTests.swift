import Domain
import DomainTesting
import Foundation
import Testing

@Suite struct IndexRoutingTests {
    static let keys = (0..<10_000).map { "user-\($0)" }

    @Test func aTenPercentStep_sendsTenPercentOfKeysToTheCanary() {
        let routing = IndexRouting(weights: [IndexWeight(version: 2, percent: 10), IndexWeight(version: 1, percent: 90)], canary: 2)
        let onCanary = Self.keys.filter { routing.version(for: $0) == 2 }.count
        #expect((900...1_100).contains(onCanary), "\(onCanary) of 10,000 keys on the canary")
    }

    @Test func eachKey_keepsItsVersion_whileTheWeightsStay() {
        let weights = [IndexWeight(version: 2, percent: 10), IndexWeight(version: 1, percent: 90)]
        let first = IndexRouting(weights: weights, canary: 2)
        let again = IndexRouting(weights: weights, canary: 2)
        #expect(Self.keys.allSatisfy { first.version(for: $0) == again.version(for: $0) })
    }

    @Test func asTheCanaryGrows_keysOnlyMoveOntoIt() {
        var onCanary: Set<String> = []
        for percent in [1, 10, 50, 100] {
            let routing = IndexRouting(weights: [IndexWeight(version: 2, percent: percent), IndexWeight(version: 1, percent: 100 - percent)],
                                       canary: 2)
            let now = Set(Self.keys.filter { routing.version(for: $0) == 2 })
            #expect(onCanary.isSubset(of: now), "a key left the canary at \(percent) %")
            #expect(abs(Double(now.count) / 100 - Double(percent)) <= 1, "\(now.count) keys at \(percent) %")
            onCanary = now
        }
        #expect(onCanary.count == Self.keys.count)
    }

    @Test func pinnedKeys_alwaysGetTheCanary() {
        let routing = IndexRouting(weights: [IndexWeight(version: 2, percent: 1), IndexWeight(version: 1, percent: 99)],
                                   pinnedKeys: Self.keys, canary: 2)
        #expect(Self.keys.allSatisfy { routing.version(for: $0) == 2 })
    }

    @Test func buckets_areSpreadEvenly() {
        var counts = [Int](repeating: 0, count: 10)
        for key in Self.keys { counts[IndexRouting.bucket(key) / 1_000] += 1 }
        #expect(counts.allSatisfy { (850...1_150).contains($0) }, "\(counts)")
    }

    @Test func theStateRoutesByTheRunningRollout() throws {
        let state = SearchIndex.fold(IndexFixtures.rolling)
        let routing = try #require(state.routing)
        #expect(routing.version(for: "qa-team") == 2)
        let onCanary = Self.keys.filter { routing.version(for: $0) == 2 }.count
        #expect((50...150).contains(onCanary), "\(onCanary) keys at 1 %")
    }
}
