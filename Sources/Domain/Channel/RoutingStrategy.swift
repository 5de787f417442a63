import Foundation

/// How routing orders the usable channels.
public enum RoutingStrategy: String, Sendable, Equatable, CaseIterable {
    /// The highest priority tier first, weighted random within a tier.
    case priority
    /// The cheapest channel for the model whose recent success rate and latency meet the
    /// request's bar; the others after, by priority.
    case cost
    /// The lowest recent latency (EWMA) first; channels without figures after, by priority.
    case latency
}
