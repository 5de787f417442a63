/// The price a charge used, recorded with it so that a dispute can be recomputed:
/// the model's price in effect, and the multiplier of the caller's group.
public struct AppliedPrice: Sendable, Hashable, Codable {
    public var model: String
    public var price: ModelPrice
    /// The price group of the key the reservation was made with ("default" without one).
    public var group: String
    /// The group's multiplier in parts per million (1,000,000 = ×1).
    public var multiplierPPM: Int64

    public init(model: String, price: ModelPrice, group: String = "default", multiplierPPM: Int64 = 1_000_000) {
        self.model = model
        self.price = price
        self.group = group
        self.multiplierPPM = multiplierPPM
    }

    /// The largest multiplier accepted: ×100.
    public static let maximumMultiplierPPM: Int64 = 100_000_000

    /// What `usage` costs at this price, in nano-USD, rounded up to the next nano-USD.
    public func cost(of usage: TokenUsage) -> Int64 {
        let uncached = Int128(max(0, usage.prompt - usage.cached))
        let base = uncached * Int128(price.inputPer1K)
            + Int128(usage.cached) * Int128(price.cachedPer1K)
            + Int128(usage.completion) * Int128(price.outputPer1K)
        let scaled = base * Int128(multiplierPPM)
        let (quotient, remainder) = scaled.quotientAndRemainder(dividingBy: 1_000_000)
        let rounded = remainder > 0 ? quotient + 1 : quotient
        return rounded > Int128(Int64.max) ? .max : Int64(rounded)
    }

    /// `usage` in tokens and money at this price.
    public func amount(of usage: TokenUsage) -> Amount {
        Amount(tokens: usage.total, nanoUSD: cost(of: usage))
    }
}
