import Foundation

/// A channel routing may pick: its id, its priority tier and its weight within the tier.
public struct RoutingCandidate: Sendable, Hashable {
    public var channelID: String
    public var priority: Int
    public var weight: Int

    public init(channelID: String, priority: Int, weight: Int) {
        self.channelID = channelID
        self.priority = priority
        self.weight = weight
    }
}

/// The order in which routing tries channels (docs/channels.md, "Routing order"): the
/// highest priority tier first; within a tier, a weighted random order, each next channel
/// drawn with the probability of its weight among the weights not drawn yet, so that a
/// channel comes first in its tier as often as its share of the tier's weight. Pure: the
/// randomness comes from the generator it is handed.
public enum ChannelRanking {
    /// Every candidate once, in the order to try them.
    public static func order(_ candidates: [RoutingCandidate], using generator: inout some RandomNumberGenerator) -> [RoutingCandidate] {
        Dictionary(grouping: candidates, by: \.priority)
            .sorted { $0.key > $1.key }
            .flatMap { weightedOrder($0.value, using: &generator) }
    }

    /// A tier's candidates in a weighted random order (a weight below 1 counts as 1).
    static func weightedOrder(_ tier: [RoutingCandidate], using generator: inout some RandomNumberGenerator) -> [RoutingCandidate] {
        // Sorted first, so that one generator's draws give one order whatever the input's order.
        var left = tier.sorted { $0.channelID < $1.channelID }
        var order: [RoutingCandidate] = []
        order.reserveCapacity(left.count)
        while left.count > 1 {
            let total = left.reduce(0) { $0 + max($1.weight, 1) }
            var point = Int.random(in: 0..<total, using: &generator)
            let index = left.firstIndex { candidate in
                point -= max(candidate.weight, 1)
                return point < 0
            } ?? left.count - 1
            order.append(left.remove(at: index))
        }
        return order + left
    }
}
