import Foundation

/// A channel's calls over the last ``ChannelStats/window``.
public struct WindowFigures: Sendable, Equatable {
    public var calls: Int
    public var successes: Int
    public var latencyP50Ms: Int?
    public var latencyP99Ms: Int?
    public var tokens: Int

    /// successes / calls; nil without calls.
    public var successRate: Double? { calls == 0 ? nil : Double(successes) / Double(calls) }
}
