import Foundation

/// Which channels may serve a request and in which order (docs/channels.md, "Routing"). Pure:
/// the states, time and randomness come in.
public enum ChannelRouter {
    /// The channels that may serve `request` at `now`, in the order to try them. A channel is
    /// left out when it is deleted or disabled, does not serve the model or the group, is
    /// excluded, has no usable key, or has a breaker (its own, or the model's) that is open
    /// and cooling down or has no free probe slot; a breaker whose cooldown ended comes with
    /// the probe the call needs.
    public static func plan(_ request: RouteRequest, channels: [RoutingChannel], now: Date,
                            using generator: inout some RandomNumberGenerator) -> [RouteOption] {
        var options: [String: RouteOption] = [:]
        var usable: [RoutingChannel] = []
        for channel in channels.sorted(by: { $0.state.id < $1.state.id }) {
            guard let option = option(channel.state, request, now: now, using: &generator) else { continue }
            options[option.channelID] = option
            usable.append(channel)
        }
        return order(usable, request, using: &generator).compactMap { options[$0.state.id] }
    }

    static func option(_ state: ChannelState, _ request: RouteRequest, now: Date,
                       using generator: inout some RandomNumberGenerator) -> RouteOption? {
        guard let spec = state.spec, !state.isDeleted, state.status == .enabled, !request.exclude.contains(state.id),
              spec.models.contains(where: { $0.name == request.model }),
              spec.groups.isEmpty || spec.groups.contains(request.group)
        else { return nil }
        let keys = state.keys.filter { $0.isUsable(at: now) }
        guard !keys.isEmpty else { return nil }
        let key = keys[Int.random(in: 0..<keys.count, using: &generator)]
        let probe: RouteOption.Probe?
        if state.breaker.phase != .closed {
            guard state.breaker.allowsProbe(now: now, policy: spec.breaker) else { return nil }
            probe = .channel
        } else {
            let modelBreaker = state.breaker(of: request.model)
            guard modelBreaker.phase == .closed || modelBreaker.allowsProbe(now: now, policy: spec.breaker) else { return nil }
            probe = modelBreaker.phase == .closed ? nil : .model(request.model)
        }
        return RouteOption(channelID: state.id, keyID: key.id, probe: probe)
    }

    /// `channels` in the order of the request's strategy.
    static func order(_ channels: [RoutingChannel], _ request: RouteRequest,
                      using generator: inout some RandomNumberGenerator) -> [RoutingChannel] {
        let byID = Dictionary(channels.map { ($0.state.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ranked = ChannelRanking.order(channels.map(candidate), using: &generator).compactMap { byID[$0.channelID] }
        switch request.strategy {
        case .priority:
            return ranked
        case .cost:
            let (meeting, rest) = ranked.partitioned { meetsBar($0, request) }
            return stableSorted(meeting) { price($0, request.model) } + rest
        case .latency:
            let (measured, rest) = ranked.partitioned { $0.latencyMs != nil }
            return stableSorted(measured) { $0.latencyMs ?? .infinity } + rest
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

    private static func stableSorted(_ channels: [RoutingChannel], by key: (RoutingChannel) -> Double) -> [RoutingChannel] {
        channels.enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }.map(\.element)
    }
}
