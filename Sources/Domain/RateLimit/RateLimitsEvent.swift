import Foundation

/// What changed in a tenant's rate limits.
public enum RateLimitsEvent: Sendable, Hashable {
    case limitSet(scope: RateScope, subject: String, limit: RateLimit, at: Date)
    case limitRemoved(scope: RateScope, subject: String, at: Date)
}
