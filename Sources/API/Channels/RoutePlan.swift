import Domain
import EventStore

/// The options a route tries, in order, with the channels they come from.
struct RoutePlan {
    let candidates: [RoutingChannel]
    let options: [RouteOption]
    private let positions: [String: Int]

    init(candidates: [RoutingChannel], options: [RouteOption]) {
        self.candidates = candidates
        self.options = options
        var positions: [String: Int] = [:]
        for (index, candidate) in candidates.enumerated() { positions[candidate.state.id] = index }
        self.positions = positions
    }

    /// The state of the channel `option` names, as routing saw it.
    func state(of option: RouteOption) -> ChannelState? {
        positions[option.channelID].map { candidates[$0].state }
    }

    /// The channel limits `option` must pass with `tokens`; nil when its channel has none.
    func demand(_ option: RouteOption, tokens: Int) -> RateDemand? {
        state(of: option)?.spec.flatMap { RouteLimits.channelDemand(option.channelID, limits: $0.limits, tokens: tokens) }
    }
}
