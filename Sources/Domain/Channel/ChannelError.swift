import Foundation

/// The rules a channel command can break.
public enum ChannelError: Error, Equatable, Sendable {
    case invalid(field: String, reason: String)
    /// Nothing was ever recorded about this channel.
    case unknown
    /// A channel with this id exists with another spec.
    case exists
    /// The channel was deleted.
    case deleted
    /// The channel has no key with this id.
    case unknownKey(String)
    /// The channel has a key with this id already (with another secret).
    case keyExists(String)
    /// The key's status does not allow the change (a retired key is retired for good; only an
    /// active key drains).
    case keyStatus(id: String, status: ChannelKey.Status)
    /// The channel holds `limit` keys already (retired ones included).
    case tooManyKeys(limit: Int)
    /// The channel is disabled (by an operator or automatically).
    case disabled
    /// The breaker (the channel's when `model` is nil) has no free probe slot: it is cooling
    /// down until `until`, or every slot is taken.
    case noProbeSlot(model: String?, until: Date?)
}
