import Foundation

/// The actual usage of the call a reservation paid for.
public struct SettleRequest: Sendable, Hashable {
    public var outcome: StreamOutcome
    /// Usage as the upstream reported it, if it did.
    public var upstreamUsage: TokenUsage?
    /// Usage as the gateway counted it, if it did.
    public var localEstimate: TokenUsage?
    public var now: Date

    public init(outcome: StreamOutcome, upstreamUsage: TokenUsage? = nil, localEstimate: TokenUsage? = nil, now: Date) {
        self.outcome = outcome
        self.upstreamUsage = upstreamUsage
        self.localEstimate = localEstimate
        self.now = now
    }
}
