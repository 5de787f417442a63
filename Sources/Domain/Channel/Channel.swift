import Foundation

/// An upstream channel an LLM gateway routes to: its spec and lifecycle, its upstream keys,
/// the outcomes of the calls made through it and its circuit breakers (docs/channels.md).
/// Stream: `channel-<id>`.
public enum Channel: Decider {
    public typealias Command = ChannelCommand
    public typealias Event = ChannelEvent
    public typealias State = ChannelState

    public static let category = "channel"
    /// The most outcomes one report holds.
    public static let maximumOutcomesPerReport = 1_000
    /// How old an outcome may be when it is reported: an older one is refused, since the
    /// channel no longer remembers enough to record it exactly once.
    public static let outcomeHorizon: TimeInterval = 3_600
    /// How far ahead of the server's clock an outcome's time may be (it counts as now).
    public static let clockSkew: TimeInterval = 300
    /// The most upstream keys one channel holds, retired ones included.
    public static let maximumKeys = 100
    /// The longest upstream error message kept, in characters.
    public static let maximumMessageLength = 1_000
    public static let initialState = ChannelState()

    /// The stream of channel `id`.
    public static func stream(_ id: String) -> String { "\(category)-\(id)" }
}
