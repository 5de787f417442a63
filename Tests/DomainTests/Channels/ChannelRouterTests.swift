import Domain
import DomainTesting
import Foundation
import Testing

/// A channel `id` serving model "a" (and "b"), folded from `extra` events after its creation with key k1.
private func channel(_ id: String, priority: Int = 0, weight: Int = 1, groups: [String] = [], cost: Int64? = nil,
                     _ extra: [ChannelEvent] = []) -> ChannelState {
    var spec = channelSpec()
    spec.priority = priority
    spec.weight = weight
    spec.groups = groups
    if let cost { spec.costs = ["a": ModelPrice(inputPer1K: cost, outputPer1K: cost, cachedPer1K: cost)] }
    return Channel.fold([.created(id: id, spec: spec, by: "admin", at: channelT0), .keyAdded(channelKey("k1"))] + extra)
}

private func plan(_ request: RouteRequest, _ channels: [RoutingChannel], at seconds: TimeInterval = 0) -> [RouteOption] {
    var generator = SeededGenerator(state: 42)
    return ChannelRouter.plan(request, channels: channels, now: channelAt(seconds), using: &generator)
}

private let tripped: [ChannelEvent] = [
    .outcomesRecorded([outcome("r1", 401)], at: channelT0),
    .tripped(model: nil, trip(.fatalError, calls: 1, failures: 1, by: "r1", status: 401)),
]

@Suite struct ChannelRouterTests {
    @Test func onlyUsableChannelsServingTheModelAndGroup_areCandidates() {
        let channels = [
            channel("served"), channel("vip-only", groups: ["vip"]),
            channel("disabled", [.disabled(by: "admin", reason: "x", at: channelT0)]),
            channel("deleted", [.deleted(by: "admin", at: channelT0)]),
            channel("drained", [.keyDraining(keyID: "k1", by: "admin", at: channelT0)]),
            channel("open", tripped), channel("excluded"),
        ].map { RoutingChannel(state: $0) }
        #expect(plan(RouteRequest(model: "a", exclude: ["excluded"]), channels).map(\.channelID) == ["served"])
        #expect(Set(plan(RouteRequest(model: "a", group: "vip", exclude: ["excluded"]), channels).map(\.channelID)) == ["served", "vip-only"])
        #expect(plan(RouteRequest(model: "zz"), channels).isEmpty)
    }

    @Test func anOpenBreaker_isAProbeOnceItsCooldownEnded() {
        let channels = [RoutingChannel(state: channel("open", tripped))]
        #expect(plan(RouteRequest(model: "a"), channels, at: 29).isEmpty)
        #expect(plan(RouteRequest(model: "a"), channels, at: 30) == [RouteOption(channelID: "open", keyID: "k1", probe: .channel)])
    }

    @Test func aModelsOpenBreaker_keepsTheChannelForOtherModels() throws {
        let events = try decided([.created(id: "c", spec: channelSpec(), by: "admin", at: channelT0), .keyAdded(channelKey("k1"))],
                                 [.recordOutcomes(ChannelBreakerDeciderTests.ModelAlone.alternating, now: channelT0)])
        let channels = [RoutingChannel(state: Channel.fold(events))]
        #expect(plan(RouteRequest(model: "a"), channels, at: 1).isEmpty)
        #expect(plan(RouteRequest(model: "b"), channels, at: 1).map(\.channelID) == ["c"])
        #expect(plan(RouteRequest(model: "a"), channels, at: 30) == [RouteOption(channelID: "c", keyID: "k1", probe: .model("a"))])
    }

    @Test func cost_putsTheCheapestThatMeetsTheBarFirst() {
        let channels = [
            RoutingChannel(state: channel("dear", priority: 10, cost: 500), successRate: 0.99, latencyMs: 300),
            RoutingChannel(state: channel("cheap-but-failing", cost: 10), successRate: 0.5, latencyMs: 300),
            RoutingChannel(state: channel("cheap", cost: 20), successRate: 0.98, latencyMs: 400),
            RoutingChannel(state: channel("unpriced"), successRate: 1, latencyMs: 100),
        ]
        let order = plan(RouteRequest(model: "a", strategy: .cost, minimumSuccessRate: 0.95), channels).map(\.channelID)
        #expect(order == ["cheap", "dear", "unpriced", "cheap-but-failing"])
        let fast = plan(RouteRequest(model: "a", strategy: .cost, minimumSuccessRate: 0.95, maximumLatencyMs: 350), channels)
        #expect(fast.prefix(2).map(\.channelID) == ["dear", "unpriced"])
        #expect(Set(fast.dropFirst(2).map(\.channelID)) == ["cheap", "cheap-but-failing"])
    }

    @Test func latency_putsTheFastestFirst_andChannelsWithoutFiguresLast() {
        let channels = [
            RoutingChannel(state: channel("slow", priority: 10), latencyMs: 900),
            RoutingChannel(state: channel("new", priority: 10)),
            RoutingChannel(state: channel("fast"), latencyMs: 120),
        ]
        #expect(plan(RouteRequest(model: "a", strategy: .latency), channels).map(\.channelID) == ["fast", "slow", "new"])
    }

    @Test func priority_putsTheHigherTierFirst() {
        let channels = [RoutingChannel(state: channel("low")), RoutingChannel(state: channel("high", priority: 5))]
        #expect(plan(RouteRequest(model: "a"), channels).map(\.channelID) == ["high", "low"])
    }
}
