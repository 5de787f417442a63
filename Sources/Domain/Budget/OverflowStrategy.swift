/// What a reservation that does not fit a budget's hard limit gets.
public enum OverflowStrategy: Sendable, Hashable, Codable {
    /// Refused, with the time the next window opens.
    case reject
    /// Waits up to `maxWaitMillis` for budget to free up, then is refused.
    case queue(maxWaitMillis: Int64)
    /// Granted on a cheaper model with fewer completion tokens, from `models`
    /// (requested model → its replacement); refused when even that does not fit.
    case degrade(models: [String: Degradation])

    /// The longest a queued reservation may wait: one minute.
    public static let maximumWaitMillis: Int64 = 60_000
}

/// The cheaper grant a degrading budget gives instead of a model it cannot afford.
public struct Degradation: Sendable, Hashable, Codable {
    public var model: String
    public var maxCompletionTokens: Int64

    public init(model: String, maxCompletionTokens: Int64) {
        self.model = model
        self.maxCompletionTokens = maxCompletionTokens
    }
}
