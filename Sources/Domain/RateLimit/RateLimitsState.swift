import Foundation

/// Every subject's limits, per scope.
public struct RateLimitsState: Sendable, Hashable {
    public var limits: [RateScope: [String: RateLimit]] = [:]

    public init() {}

    /// The limits that apply to `subject` of `scope`: its own, else the scope's `*` ones; nil: none.
    public func limit(_ scope: RateScope, _ subject: String) -> RateLimit? {
        limits[scope]?[subject] ?? limits[scope]?[RateLimits.everySubject]
    }

    /// How many subjects have limits, over every scope.
    public var count: Int { limits.values.reduce(0) { $0 + $1.count } }
}
