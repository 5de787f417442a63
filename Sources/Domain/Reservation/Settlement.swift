import Foundation

/// How a reservation was settled, with every input of the billing rule, so a dispute
/// can be replayed: cost is what the billed usage costs at the reservation's price,
/// charged is the part the budgets could cover (the hold plus what they had left),
/// uncovered the rest, refunded the part of the hold not charged. A late settlement
/// (``late``) came after the reservation expired: its hold was already refunded, so it
/// is charged in the window it lands in, up to what the budgets have left there.
public struct Settlement: Sendable, Hashable, Codable {
    public var reservationID: String
    public var outcome: StreamOutcome
    public var upstreamUsage: TokenUsage?
    public var localEstimate: TokenUsage?
    public var rule: BillingRule
    public var billed: TokenUsage
    public var cost: Amount
    public var charged: Amount
    public var uncovered: Amount
    public var refunded: Amount
    public var at: Date
    /// Settled after the reservation had expired.
    public var late: Bool

    public init(
        reservationID: String, outcome: StreamOutcome, upstreamUsage: TokenUsage?, localEstimate: TokenUsage?,
        rule: BillingRule, billed: TokenUsage, cost: Amount, charged: Amount, uncovered: Amount, refunded: Amount, at: Date,
        late: Bool = false
    ) {
        self.reservationID = reservationID
        self.outcome = outcome
        self.upstreamUsage = upstreamUsage
        self.localEstimate = localEstimate
        self.rule = rule
        self.billed = billed
        self.cost = cost
        self.charged = charged
        self.uncovered = uncovered
        self.refunded = refunded
        self.at = at
        self.late = late
    }
}
