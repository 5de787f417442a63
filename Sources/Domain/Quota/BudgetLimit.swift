/// A ceiling in tokens, money or both; a unit left `nil` is not limited.
public struct BudgetLimit: Sendable, Hashable, Codable {
    public var tokens: Int64?
    public var nanoUSD: Int64?

    public init(tokens: Int64? = nil, nanoUSD: Int64? = nil) {
        self.tokens = tokens
        self.nanoUSD = nanoUSD
    }

    /// True when neither unit is limited.
    public var isUnlimited: Bool { tokens == nil && nanoUSD == nil }

    /// What is left of the limit after `used`; an unlimited unit has `Int64.max` left.
    public func remaining(after used: Amount) -> Amount {
        Amount(tokens: tokens.map { max(0, $0 - used.tokens) } ?? .max,
               nanoUSD: nanoUSD.map { max(0, $0 - used.nanoUSD) } ?? .max)
    }

    /// True when `used` stays within every limited unit.
    public func admits(_ used: Amount) -> Bool {
        (tokens.map { used.tokens <= $0 } ?? true) && (nanoUSD.map { used.nanoUSD <= $0 } ?? true)
    }

    /// The share of the limit `used` takes, in percent of the most used unit (rounded down).
    public func percentUsed(by used: Amount) -> Int64 {
        let shares = [tokens.map { Self.percent(used.tokens, of: $0) },
                      nanoUSD.map { Self.percent(used.nanoUSD, of: $0) }].compactMap { $0 }
        return shares.max() ?? 0
    }

    /// The limit raised by `extra` in each limited unit.
    public func raised(by extra: Amount) -> BudgetLimit {
        BudgetLimit(tokens: tokens.map { $0 &+ extra.tokens }, nanoUSD: nanoUSD.map { $0 &+ extra.nanoUSD })
    }

    private static func percent(_ part: Int64, of whole: Int64) -> Int64 {
        guard whole > 0 else { return part > 0 ? 100 : 0 }
        return Int64((Int128(max(0, part)) * 100) / Int128(whole))
    }
}
