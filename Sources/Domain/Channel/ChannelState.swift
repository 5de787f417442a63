import Foundation

/// A channel: its spec, whether it is enabled, its upstream keys, its breakers (its own and
/// one per model it serves that has been called) and the request ids of its latest outcomes.
public struct ChannelState: Sendable, Equatable {
    /// The channel's id (its stream is `channel-<id>`).
    public internal(set) var id = ""
    /// nil until it is created.
    public internal(set) var spec: ChannelSpec?
    /// Whether routing may use it at all.
    public internal(set) var status = ChannelStatus.enabled
    /// It was automatically disabled since it was last enabled: enabling it starts every
    /// breaker closed (even when an operator disabled it meanwhile).
    public internal(set) var resetsBreakersWhenEnabled = false
    /// It was deleted: its stream takes no more commands.
    public internal(set) var isDeleted = false
    /// In the order they were added.
    public internal(set) var keys: [ChannelKey] = []
    /// The channel's own breaker: every outcome of a model whose breaker is closed counts in it.
    public internal(set) var breaker = CircuitBreaker()
    /// The breaker of each model served that has been called, by model name.
    public internal(set) var modelBreakers: [String: CircuitBreaker] = [:]
    /// The request ids of its latest outcomes (each recorded once).
    public internal(set) var recent = RecentRequests()

    public init() {}

    /// Whether the channel was created.
    public var isKnown: Bool { spec != nil }

    /// The breaker of `model` (nil: the channel's own); a closed one when the model has none yet.
    public func breaker(of model: String?) -> CircuitBreaker {
        guard let model else { return breaker }
        return modelBreakers[model] ?? CircuitBreaker()
    }

    /// The key named `id`.
    public func key(_ id: String) -> ChannelKey? {
        keys.first { $0.id == id }
    }
}
