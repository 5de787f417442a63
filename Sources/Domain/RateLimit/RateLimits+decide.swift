import Foundation

extension RateLimits {
    public static func decide(_ command: RateLimitsCommand, _ state: RateLimitsState) throws -> [RateLimitsEvent] {
        switch command {
        case .set(let scope, let subject, let limit, let now):
            try validate(subject)
            guard !limit.isEmpty else { throw RateLimitsError.invalid(field: "limits", reason: "must set rpm, tpm or concurrent") }
            if let (field, reason) = limit.problem { throw RateLimitsError.invalid(field: field, reason: reason) }
            let current = state.limits[scope]?[subject]
            guard current != limit else { return [] }
            guard current != nil || state.count < maximumEntries else {
                throw RateLimitsError.invalid(field: "subject", reason: "a tenant limits at most \(maximumEntries) subjects")
            }
            return [.limitSet(scope: scope, subject: subject, limit: limit, at: now)]
        case .remove(let scope, let subject, let now):
            guard state.limits[scope]?[subject] != nil else { throw RateLimitsError.unknown(scope: scope, subject: subject) }
            return [.limitRemoved(scope: scope, subject: subject, at: now)]
        }
    }

    private static func validate(_ subject: String) throws {
        if let reason = TextRule.problem(with: subject, maximum: 200) { throw RateLimitsError.invalid(field: "subject", reason: reason) }
    }

    public static func evolve(_ state: RateLimitsState, _ event: RateLimitsEvent) -> RateLimitsState {
        var state = state
        apply(event, to: &state)
        return state
    }

    public static func apply(_ event: RateLimitsEvent, to state: inout RateLimitsState) {
        switch event {
        case .limitSet(let scope, let subject, let limit, _):
            state.limits[scope, default: [:]][subject] = limit
        case .limitRemoved(let scope, let subject, _):
            state.limits[scope]?[subject] = nil
        }
    }
}
