import Foundation

/// What an operator or a gateway asks of a channel. Time comes in on the command; `by` is
/// the caller's key id.
public enum ChannelCommand: Sendable, Equatable {
    /// Create the channel, enabled (the same spec again changes nothing).
    case create(id: String, spec: ChannelSpec, by: String, now: Date)
    /// Replace its spec.
    case update(spec: ChannelSpec, by: String, now: Date)
    case enable(by: String, now: Date)
    case disable(by: String, reason: String, now: Date)
    case delete(by: String, now: Date)
    /// Add an upstream key (active); the same key and secret again changes nothing.
    case addKey(id: String, secret: ChannelSecret, by: String, now: Date)
    /// Take an active key out of routing.
    case drainKey(id: String, by: String, now: Date)
    /// Retire a key for good.
    case retireKey(id: String, by: String, now: Date)
    /// Record what upstream calls did; outcomes already recorded (by request id) are skipped.
    case recordOutcomes([CallOutcome], now: Date)
    /// Give request `requestID` a probe slot of a breaker that is not closed (the channel's
    /// when `model` is nil); asked again by the holder of a slot, it changes nothing.
    case claimProbe(model: String?, requestID: String, now: Date)
}
