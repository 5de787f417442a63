import Domain
import DomainTesting
import Testing

private let topTier = [
    RoutingCandidate(channelID: "a", priority: 10, weight: 1),
    RoutingCandidate(channelID: "b", priority: 10, weight: 3),
    RoutingCandidate(channelID: "c", priority: 10, weight: 6),
]
private let fallback = RoutingCandidate(channelID: "z", priority: 0, weight: 1_000)

@Suite struct ChannelRankingTests {
    @Test(arguments: [1, 2, 3])
    func over100000Decisions_eachChannelLeadsItsTier_within1PercentOfItsWeight(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        var first: [String: Int] = [:]
        let decisions = 100_000
        for _ in 0..<decisions {
            let order = ChannelRanking.order([fallback] + topTier.reversed(), using: &generator)
            first[order[0].channelID, default: 0] += 1
        }
        let shares = first.mapValues { Double($0) / Double(decisions) }
        for (id, weight) in [("a", 0.1), ("b", 0.3), ("c", 0.6)] {
            #expect(abs((shares[id] ?? 0) - weight) <= 0.01, "\(id): \(shares[id] ?? 0)")
        }
        #expect(first["z"] == nil)
    }

    @Test func everyCandidateComesOnce_higherTiersFirst() {
        var generator = SeededGenerator(state: 7)
        let middle = RoutingCandidate(channelID: "m", priority: 5, weight: 1)
        for _ in 0..<1_000 {
            let order = ChannelRanking.order([fallback, middle] + topTier, using: &generator)
            #expect(order.count == 5)
            #expect(Set(order.map(\.channelID)) == ["a", "b", "c", "m", "z"])
            #expect(order.map(\.priority) == [10, 10, 10, 5, 0])
        }
    }

    @Test func theSecondChoice_followsTheWeightsLeft() {
        // With c (6 of 10) drawn first, a and b share the rest 1 : 3.
        var generator = SeededGenerator(state: 11)
        var second: [String: Int] = [:]
        var afterC = 0
        for _ in 0..<100_000 {
            let order = ChannelRanking.order(topTier, using: &generator)
            guard order[0].channelID == "c" else { continue }
            afterC += 1
            second[order[1].channelID, default: 0] += 1
        }
        #expect(abs(Double(second["b"] ?? 0) / Double(afterC) - 0.75) <= 0.01)
    }

    @Test func oneGeneratorState_givesOneOrder_whateverTheInputsOrder() {
        var one = SeededGenerator(state: 99)
        var other = SeededGenerator(state: 99)
        #expect(ChannelRanking.order(topTier, using: &one) == ChannelRanking.order(topTier.reversed(), using: &other))
    }
}
