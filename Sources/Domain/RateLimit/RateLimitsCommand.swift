import Foundation

/// A change to a tenant's rate limits.
public enum RateLimitsCommand: Sendable, Hashable {
    /// `subject` of `scope` (or `*`: every subject without its own) gets `limit`.
    case set(scope: RateScope, subject: String, limit: RateLimit, now: Date)
    case remove(scope: RateScope, subject: String, now: Date)
}
