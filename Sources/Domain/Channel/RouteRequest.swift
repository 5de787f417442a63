import Foundation

/// What a gateway asks routing for: a channel serving `model` for callers of `group`, none of
/// `exclude` (the channels a retry already tried), ordered by `strategy`.
public struct RouteRequest: Sendable, Equatable {
    public var model: String
    /// The caller's group; a channel that names groups serves only those.
    public var group: String
    public var exclude: Set<String>
    public var strategy: RoutingStrategy
    /// For `cost`: the least success rate (0-1) and the most latency (EWMA, ms) a channel's
    /// recent calls must meet to be ranked by price; nil: no bar.
    public var minimumSuccessRate: Double?
    public var maximumLatencyMs: Double?

    public init(model: String, group: String = "default", exclude: Set<String> = [], strategy: RoutingStrategy = .priority,
                minimumSuccessRate: Double? = nil, maximumLatencyMs: Double? = nil) {
        self.model = model
        self.group = group
        self.exclude = exclude
        self.strategy = strategy
        self.minimumSuccessRate = minimumSuccessRate
        self.maximumLatencyMs = maximumLatencyMs
    }
}

/// How routing orders the usable channels.
public enum RoutingStrategy: String, Sendable, Equatable, CaseIterable {
    /// The highest priority tier first, weighted random within a tier.
    case priority
    /// The cheapest channel for the model whose recent success rate and latency meet the
    /// request's bar; the others after, by priority.
    case cost
    /// The lowest recent latency (EWMA) first; channels without figures after, by priority.
    case latency
}

/// A channel as routing sees it: its state and its recent figures for the model asked.
public struct RoutingChannel: Sendable {
    public var state: ChannelState
    /// Successes / calls of its recent outcomes for the model; nil: none yet.
    public var successRate: Double?
    /// Its recent latency for the model (EWMA, ms); nil: none yet.
    public var latencyMs: Double?

    public init(state: ChannelState, successRate: Double? = nil, latencyMs: Double? = nil) {
        self.state = state
        self.successRate = successRate
        self.latencyMs = latencyMs
    }
}

/// One channel to try: the key to call it with, and the breaker whose probe slot the call
/// needs (nil: none, the breakers are closed).
public struct RouteOption: Sendable, Equatable {
    public enum Probe: Sendable, Equatable {
        /// The channel's own breaker.
        case channel
        /// The breaker of the model on the channel.
        case model(String)
    }

    public var channelID: String
    public var keyID: String
    public var probe: Probe?

    public init(channelID: String, keyID: String, probe: Probe? = nil) {
        self.channelID = channelID
        self.keyID = keyID
        self.probe = probe
    }
}
