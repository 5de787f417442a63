import EventStore
import Hummingbird

/// The event metadata of a write: who (the key), from where, and the correlation id.
struct RequestMetadata {
    let metadata: EventMetadata

    init(_ request: Request, _ context: AppRequestContext) {
        let correlation = request.headers[.requestID].map { String($0.prefix(128)) }
        let agent = request.headers[.userAgent].map { String($0.prefix(256)) }
        let ip = context.remoteAddress.flatMap(\.ipAddress)
        metadata = EventMetadata(actor: context.caller?.actor, correlationId: correlation, clientIp: ip, userAgent: agent)
    }
}
