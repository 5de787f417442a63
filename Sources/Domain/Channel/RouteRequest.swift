import Foundation

/// What a gateway asks routing for: a channel serving `model` for callers of `group`, none of
/// `exclude` (the channels a retry already tried), ordered by `strategy`.
public struct RouteRequest: Sendable, Equatable {
    /// The model the caller asks for (a channel serves it under its own upstream name).
    public var model: String
    /// The caller's group; a channel that names groups serves only those.
    public var group: String
    /// Channels not to route to (those a retry already tried).
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
