/// What one model costs, per 1,000 tokens, in micro-USD (10⁻⁶ USD). A price per 1,000
/// tokens in micro-USD is the price per token in nano-USD, so costs are exact integers.
public struct ModelPrice: Sendable, Hashable, Codable {
    public var inputPer1K: Int64
    public var outputPer1K: Int64
    public var cachedPer1K: Int64

    public init(inputPer1K: Int64, outputPer1K: Int64, cachedPer1K: Int64) {
        self.inputPer1K = inputPer1K
        self.outputPer1K = outputPer1K
        self.cachedPer1K = cachedPer1K
    }

    /// The highest price accepted: $1,000 per 1,000 tokens.
    public static let maximumPer1K: Int64 = 1_000_000_000

    /// True when every price is between zero and ``maximumPer1K``.
    public var isValid: Bool {
        [inputPer1K, outputPer1K, cachedPer1K].allSatisfy { (0...Self.maximumPer1K).contains($0) }
    }
}
