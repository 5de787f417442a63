import Domain
import EventStore
import Foundation
import Hummingbird

extension APIError {
    static func fromRateLimits(_ error: RateLimitsError) -> APIError {
        switch error {
        case .invalid(let field, let reason): .invalid(field, reason)
        case .unknown(let scope, let subject): .notFound("\(scope.rawValue) \(subject) has no rate limits of its own")
        }
    }

    /// 429 with `Retry-After` and the draft's `RateLimit-Policy` and `RateLimit` fields naming
    /// the limit reached (docs/rate-limits.md, "Answers"); 422 when the request alone asks
    /// more tokens than the limit allows a minute.
    static func rateLimited(_ refusal: RateRefusal, now: Date) -> APIError {
        if refusal.exceedsLimit {
            let detail = "the request's tokens exceed the \(refusal.scope) limit of \(refusal.limit) tokens a minute"
            return APIError(.unprocessableContent, "exceeds-rate-limit", "Exceeds rate limit", detail: detail,
                            fieldErrors: [FieldError(field: "tokens", message: detail)])
        }
        let what = switch refusal.kind {
        case .rpm: "\(refusal.limit) requests a minute"
        case .tpm: "\(refusal.limit) tokens a minute"
        case .concurrent: "\(refusal.limit) requests at once"
        }
        var problem = APIError(.tooManyRequests, "rate-limited", "Rate limited",
                               detail: "\(refusal.scope) is at its limit of \(what)")
        let seconds = retryAfter(refusal.retryAt, now: now)
        let policy = policyName(refusal)
        problem.headers[.retryAfter] = seconds
        problem.headers[.rateLimitPolicy] = refusal.kind == .concurrent
            ? "\(policy);q=\(refusal.limit);qu=\"concurrent-requests\""
            : "\(policy);q=\(refusal.limit);w=60" + (refusal.kind == .tpm ? ";qu=\"tokens\"" : "")
        problem.headers[.rateLimit] = "\(policy);r=0;t=\(seconds)"
        return problem
    }

    /// The policy's name as a structured-field string: the scope's kind and the limit's,
    /// e.g. `"key-rpm"` (a subject's id may hold characters a field string cannot).
    private static func policyName(_ refusal: RateRefusal) -> String {
        let kind = refusal.scope.prefix { $0 != ":" }
        return "\"\(kind)-\(refusal.kind.rawValue)\""
    }
}
