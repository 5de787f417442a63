import Foundation

/// How a reservation was settled, with every input of the billing rule, so a dispute
/// can be replayed: cost is what the billed usage costs at the reservation's price,
/// charged is the part the budgets could cover (the hold plus what they had left),
/// uncovered the rest, refunded the part of the hold not charged.
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

    public init(
        reservationID: String, outcome: StreamOutcome, upstreamUsage: TokenUsage?, localEstimate: TokenUsage?,
        rule: BillingRule, billed: TokenUsage, cost: Amount, charged: Amount, uncovered: Amount, refunded: Amount, at: Date
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
    }
}
