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
