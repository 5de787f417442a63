import Foundation

/// A channel's calls over the last ``ChannelStats/window``.
public struct WindowFigures: Sendable, Equatable {
    public var calls: Int
    public var successes: Int
    public var latencyP50Ms: Int?
    public var latencyP99Ms: Int?
    public var tokens: Int
    /// What the calls whose cost is known cost, in nano-USD.
    public var costNanoUSD: Int64
    /// Calls whose cost is not known: reported without prompt and completion tokens apart, or
    /// of a model priced neither by the channel nor by the price book.
    public var uncostedCalls: Int

    /// successes / calls; nil without calls.
    public var successRate: Double? { calls == 0 ? nil : Double(successes) / Double(calls) }
}
