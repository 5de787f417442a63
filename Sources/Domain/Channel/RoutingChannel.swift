import Foundation

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
