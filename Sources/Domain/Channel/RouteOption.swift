import Foundation

/// One channel to try: the key to call it with, and the breaker whose probe slot the call
/// needs (nil: none, the breakers are closed).
public struct RouteOption: Sendable, Equatable {
    public enum Probe: Sendable, Equatable {
        /// The channel's own breaker.
        case channel
        /// The breaker of the model on the channel.
        case model(String)
    }

    public var channelID: String
    public var keyID: String
    public var probe: Probe?

    public init(channelID: String, keyID: String, probe: Probe? = nil) {
        self.channelID = channelID
        self.keyID = keyID
        self.probe = probe
    }
}
