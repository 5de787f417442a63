import Foundation

/// What an outcome says of the channel that answered it.
public enum CallVerdict: Sendable, Equatable {
    /// The channel worked (2xx, or a 4xx that was the request's own fault).
    case success
    /// The channel failed this call (no answer, 404 for a model it claims, 408, 429, 5xx):
    /// it counts against the failure rate.
    case failure
    /// The channel cannot work (401, 403, or an error naming a dead key or quota): the
    /// breaker trips at once.
    case fatal
}

extension CallOutcome {
    /// Error types and words that mean the channel or its key cannot work, whatever the
    /// status (one-api's and new-api's triggers).
    public static let fatalErrorTypes: Set<String> = [
        "insufficient_quota", "invalid_api_key", "account_deactivated", "billing_not_active", "permission_denied",
        "authentication_error", "organization_deactivated",
    ]

    /// This outcome's verdict under `policy`'s keywords.
    public func verdict(_ policy: BreakerPolicy) -> CallVerdict {
        if status == 401 || status == 403 || Self.fatalErrorTypes.contains(errorType.lowercased()) { return .fatal }
        if !policy.fatalKeywords.isEmpty {
            let text = (errorType + " " + message).lowercased()
            if policy.fatalKeywords.contains(where: { text.contains($0.lowercased()) }) { return .fatal }
        }
        switch status {
        case 0, 404, 408, 429, 500...599: return .failure
        default: return .success
        }
    }
}
