import Foundation
import Hummingbird

/// What `POST /v1/route` answers: the channel and upstream key to call, and the channels to
/// fall back to, in order.
struct RouteView: Encodable {
    /// The id to report the call's outcome with (the request's own, or one made for it).
    let requestId: String
    let strategy: String
    let channel: Target
    /// The call is the probe of a half-open breaker: its outcome decides whether the channel
    /// (or the model on it) serves again.
    let probe: Bool
    let fallbacks: [Target]

    struct Target: Encodable {
        let channelId: String
        let provider: String
        let baseUrl: String
        /// The model's name at the upstream.
        let upstreamModel: String
        let key: KeyTarget
    }

    /// The upstream key: its secret when the server keeps it sealed, else the reference the
    /// gateway resolves.
    struct KeyTarget: Encodable {
        let id: String
        let secret: String?
        let secretRef: String?
    }
}
