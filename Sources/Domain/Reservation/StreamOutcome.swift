/// How the upstream call a reservation paid for ended.
public enum StreamOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case completed
    case clientAborted = "client_aborted"
    case upstreamError = "upstream_error"
    /// The call ended but the upstream reported no usage.
    case noUsage = "no_usage"
}

/// Which usage a settlement billed, chosen from the outcome and what was reported.
public enum BillingRule: String, Sendable, Hashable, Codable {
    /// The upstream's own usage report.
    case upstreamUsage = "upstream_usage"
    /// The gateway's local token count.
    case localEstimate = "local_estimate"
    /// Neither was reported: the reservation's own estimate (prompt and every completion token granted).
    case reservedEstimate = "reserved_estimate"
    /// The upstream failed and reported no usage: nothing is charged.
    case noCharge = "no_charge"
}

extension BillingRule {
    /// The rule for `outcome` given the usage reported, and the usage it bills.
    /// An upstream report always wins; a failed upstream call without one costs nothing.
    public static func choose(
        outcome: StreamOutcome, upstream: TokenUsage?, local: TokenUsage?, reserved: TokenUsage
    ) -> (rule: BillingRule, usage: TokenUsage) {
        if let upstream, outcome != .noUsage { return (.upstreamUsage, upstream) }
        if outcome == .upstreamError { return (.noCharge, .zero) }
        if let local { return (.localEstimate, local) }
        return (.reservedEstimate, reserved)
    }
}
