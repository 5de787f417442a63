import Domain
import Foundation

/// The limits of one scope a request must pass (docs/rate-limits.md): `scope` names what is
/// counted (`key:<id>`, `user:<id>`, `model:<name>`, `channel:<id>`); `tokens` is what the
/// request counts against a tpm limit.
public struct RateDemand: Sendable, Hashable {
    public var scope: String
    public var limit: RateLimit
    public var tokens: Int

    public init(scope: String, limit: RateLimit, tokens: Int) {
        self.scope = scope
        self.limit = limit
        self.tokens = tokens
    }
}

/// A request a limit refused: which one, and when to try again.
public struct RateRefusal: Error, Sendable, Hashable {
    public enum Kind: String, Sendable {
        case rpm, tpm, concurrent
    }

    public var scope: String
    public var kind: Kind
    /// The limit that was reached.
    public var limit: Int
    /// The start of the next window (rpm, tpm), or a moment later (concurrent).
    public var retryAt: Date
    /// The request alone asks more than the limit (tpm): trying again cannot help.
    public var exceedsLimit: Bool = false
}

/// What a request's rpm and tpm limits counted, to give back when it does not go ahead.
public struct RateCount: Sendable {
    let window: Date
    /// The window allowances taken: (scope and kind, amount).
    let taken: [(key: String, amount: Int)]
}

/// An upstream call's places under limits on requests at once, to end when it does not go ahead.
public struct RateLease: Sendable {
    let tenant: String
    let request: String
    /// The call's channel.
    let call: String
}
