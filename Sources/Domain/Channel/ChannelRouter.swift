import Foundation

/// Which channels may serve a request and in which order (docs/channels.md, "Routing"). Pure:
/// the states, time and randomness come in.
public enum ChannelRouter {
    /// The channels that may serve `request` at `now`, in the order to try them. A channel is
    /// left out when it is deleted or disabled, does not serve the model or the group, is
    /// excluded, has no usable key, or has a breaker (its own, or the model's) that is open
    /// and cooling down or has no free probe slot; a breaker whose cooldown ended comes with
    /// the probe the call needs.
    public static func plan(_ request: RouteRequest, channels: [RoutingChannel], now: Date, limit: Int = .max,
                            using generator: inout some RandomNumberGenerator) -> [RouteOption] {
        // Indices, not copies: a channel's state is large.
        var probes: [Int: RouteOption.Probe?] = [:]
        for index in channels.indices {
            if let probe = eligibility(channels[index].state, request, now: now) { probes[index] = probe }
        }
        // By id first, so that one generator state gives one order whatever the input's order.
        let eligible = probes.keys.sorted { channels[$0].state.id < channels[$1].state.id }
        // A key is drawn only for the channels the answer may name: `limit` that need no probe,
        // and every one needing a probe before them (its slot may be taken by another caller).
        var options: [RouteOption] = []
        var plain = 0
        for index in order(eligible, in: channels, request, using: &generator) where plain < limit {
            let state = channels[index].state
            let keys = state.keys.filter { $0.isUsable(at: now) }
            guard !keys.isEmpty, let probe = probes[index] else { continue }
            options.append(RouteOption(channelID: state.id, keyID: keys[Int.random(in: 0..<keys.count, using: &generator)].id,
                                       probe: probe))
            if probe == nil { plain += 1 }
        }
        return options
    }

    /// Whether `state` may serve `request` at `now`: nil when not; else the probe a call needs
    /// (`.some(nil)`: none).
    static func eligibility(_ state: ChannelState, _ request: RouteRequest, now: Date) -> RouteOption.Probe?? {
        guard let spec = state.spec, !state.isDeleted, state.status == .enabled, !request.exclude.contains(state.id),
              spec.models.contains(where: { $0.name == request.model }),
              spec.groups.isEmpty || spec.groups.contains(request.group),
              state.keys.contains(where: { $0.isUsable(at: now) })
        else { return nil }
        if state.breaker.phase != .closed {
            guard state.breaker.allowsProbe(now: now, policy: spec.breaker) else { return nil }
            return .some(.channel)
        }
        let modelBreaker = state.breaker(of: request.model)
        if modelBreaker.phase == .closed { return .some(nil) }
        guard modelBreaker.allowsProbe(now: now, policy: spec.breaker) else { return nil }
        return .some(.model(request.model))
    }

    /// The channels at `indices` in the order of the request's strategy.
    static func order(_ indices: [Int], in channels: [RoutingChannel], _ request: RouteRequest,
                      using generator: inout some RandomNumberGenerator) -> [Int] {
        var byID: [String: Int] = [:]
        for index in indices { byID[channels[index].state.id] = byID[channels[index].state.id] ?? index }
        let ranked = ChannelRanking.order(indices.map { candidate(channels[$0]) }, using: &generator).compactMap { byID[$0.channelID] }
        switch request.strategy {
        case .priority:
            return ranked
        case .cost:
            let (meeting, rest) = ranked.partitioned { meetsBar(channels[$0], request) }
            return stableSorted(meeting) { price(channels[$0], request.model) } + rest
        case .latency:
            let (measured, rest) = ranked.partitioned { channels[$0].latencyMs != nil }
            return stableSorted(measured) { channels[$0].latencyMs ?? .infinity } + rest
        }
    }

    private static func candidate(_ channel: RoutingChannel) -> RoutingCandidate {
        RoutingCandidate(channelID: channel.state.id, priority: channel.state.spec?.priority ?? 0, weight: channel.state.spec?.weight ?? 1)
    }

    /// Whether its recent figures meet the request's bar (a channel without figures does).
    private static func meetsBar(_ channel: RoutingChannel, _ request: RouteRequest) -> Bool {
        if let bar = request.minimumSuccessRate, let rate = channel.successRate, rate < bar { return false }
        if let bar = request.maximumLatencyMs, let latency = channel.latencyMs, latency > bar { return false }
        return true
    }

    /// The channel's price of 1,000 input and 1,000 output tokens of `model`; a channel
    /// without its own price comes after every priced one.
    private static func price(_ channel: RoutingChannel, _ model: String) -> Double {
        guard let price = channel.state.spec?.costs[model] else { return .infinity }
        return Double(price.inputPer1K + price.outputPer1K)
    }

    private static func stableSorted(_ indices: [Int], by key: (Int) -> Double) -> [Int] {
        indices.enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }.map(\.element)
    }
}
