/// Tokens and money, counted exactly. Money is in nano-USD (10⁻⁹ USD), so a price of
/// $0.15 per million tokens (150 nano-USD a token) is an integer and sums never round.
public struct Amount: Sendable, Hashable, Codable {
    public var tokens: Int64
    public var nanoUSD: Int64

    public init(tokens: Int64, nanoUSD: Int64) {
        self.tokens = tokens
        self.nanoUSD = nanoUSD
    }

    public static let zero = Amount(tokens: 0, nanoUSD: 0)

    public static func + (lhs: Amount, rhs: Amount) -> Amount {
        Amount(tokens: lhs.tokens &+ rhs.tokens, nanoUSD: lhs.nanoUSD &+ rhs.nanoUSD)
    }

    public static func - (lhs: Amount, rhs: Amount) -> Amount {
        Amount(tokens: lhs.tokens &- rhs.tokens, nanoUSD: lhs.nanoUSD &- rhs.nanoUSD)
    }

    /// Each unit the smaller of the two.
    public static func minimum(_ lhs: Amount, _ rhs: Amount) -> Amount {
        Amount(tokens: min(lhs.tokens, rhs.tokens), nanoUSD: min(lhs.nanoUSD, rhs.nanoUSD))
    }

    /// Each unit no lower than zero.
    public var clampedAtZero: Amount { Amount(tokens: max(0, tokens), nanoUSD: max(0, nanoUSD)) }

    /// True when no unit of `self` exceeds the same unit of `other`.
    public func fits(within other: Amount) -> Bool { tokens <= other.tokens && nanoUSD <= other.nanoUSD }
}
