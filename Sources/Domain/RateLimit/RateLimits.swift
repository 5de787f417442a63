import Foundation

/// A tenant's rate limits per API key, user and model (docs/rate-limits.md); a channel's own
/// limits are in its spec. Stream: `ratelimits-list`, in the tenant.
public enum RateLimits: Decider {
    public typealias Command = RateLimitsCommand
    public typealias Event = RateLimitsEvent
    public typealias State = RateLimitsState

    public static let category = "ratelimits"
    public static let stream = "ratelimits-list"
    public static let initialState = RateLimitsState()
    /// The subject that stands for every subject of its scope without limits of its own.
    public static let everySubject = "*"
    /// The most subjects a tenant may limit, over every scope.
    public static let maximumEntries = 100_000
}
