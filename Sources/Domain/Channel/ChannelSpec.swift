import Foundation

/// What an upstream channel is (docs/channels.md): the provider endpoint, the models it
/// serves, where routing ranks it, what it costs, the upstream's own limits and how its
/// breaker trips. Its upstream API keys are kept apart (each with a status of its own).
public struct ChannelSpec: Sendable, Hashable {
    /// The provider's kind (`openai`, `azure`, `anthropic`, `openai-compatible` …).
    public var provider: String
    /// Where requests go: an `http` or `https` URL with a host and no credentials.
    public var baseURL: String
    public var models: [ChannelModel]
    /// The groups of callers it serves; empty: every group.
    public var groups: [String]
    /// Its tier: routing uses the highest tier with a usable channel (0-1000).
    public var priority: Int
    /// Its share within its tier (1-10,000).
    public var weight: Int
    /// Its price per model served, in millionths of a dollar per 1,000 tokens; a model
    /// without one is priced by the price book.
    public var costs: [String: ModelPrice]
    /// The upstream's own limits on the channel (``RateLimit``); nil ones: none known.
    public var limits: RateLimit
    public var breaker: BreakerPolicy

    public init(provider: String, baseURL: String, models: [ChannelModel], groups: [String] = [], priority: Int = 0,
                weight: Int = 1, costs: [String: ModelPrice] = [:], limits: RateLimit = .init(),
                breaker: BreakerPolicy = .init()) {
        self.provider = provider
        self.baseURL = baseURL
        self.models = models
        self.groups = groups
        self.priority = priority
        self.weight = weight
        self.costs = costs
        self.limits = limits
        self.breaker = breaker
    }
}

/// A model a channel serves, and the name the upstream knows it by when that differs.
public struct ChannelModel: Sendable, Hashable {
    public var name: String
    /// The upstream's name for it; nil: the same.
    public var upstreamName: String?

    public init(name: String, upstreamName: String? = nil) {
        self.name = name
        self.upstreamName = upstreamName
    }
}

