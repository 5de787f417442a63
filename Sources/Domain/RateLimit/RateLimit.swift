import Foundation

/// Limits on requests to one subject (an API key, a user, a model or a channel): requests a
/// minute, tokens a minute and requests in flight at once; nil: no limit of that kind
/// (docs/rate-limits.md).
public struct RateLimit: Sendable, Hashable, Codable {
    /// Requests a minute.
    public var rpm: Int?
    /// Tokens a minute (the tokens each route names).
    public var tpm: Int?
    /// Requests in flight at once.
    public var concurrent: Int?

    /// The range each limit must be in.
    public static let range = 1...1_000_000_000

    public init(rpm: Int? = nil, tpm: Int? = nil, concurrent: Int? = nil) {
        self.rpm = rpm
        self.tpm = tpm
        self.concurrent = concurrent
    }

    /// No limit of any kind.
    public var isEmpty: Bool { rpm == nil && tpm == nil && concurrent == nil }

    /// Each limit that is set, by its field name (`rpm`, `tpm`, `concurrent`).
    public var named: [(field: String, value: Int)] {
        [("rpm", rpm), ("tpm", tpm), ("concurrent", concurrent)].compactMap { field, value in value.map { (field, $0) } }
    }

    /// Why the limits are not valid: the field (`rpm`, `tpm` or `concurrent`) and the reason;
    /// nil when they are.
    public var problem: (field: String, reason: String)? {
        named.first { !Self.range.contains($0.value) }.map { ($0.field, "must be in 1...\(Self.range.upperBound)") }
    }
}
