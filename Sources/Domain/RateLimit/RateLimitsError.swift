/// The rules a rate-limit change can break.
public enum RateLimitsError: Error, Equatable, Sendable {
    case invalid(field: String, reason: String)
    /// The subject has no limits of its own.
    case unknown(scope: RateScope, subject: String)
}
