import EventStore
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `GET /v1/events/stream`: the caller's tenant's events as Server-Sent Events, from
/// `Last-Event-ID` (or `?after=`) with no gap and no duplicate, then live.
struct LiveController {
    let store: EventStore
    let live: LiveLog

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/events/stream") { request, context in try await stream(request, context) }
    }

    /// The live stream of the caller's tenant, filtered by the query, or only `fixed`'s events
    /// (or those of the `streams` given). `authorized`: the route has checked the caller may
    /// read them (else: a tenant-wide reader).
    func stream(_ request: Request, _ context: AppRequestContext, stream fixed: String? = nil,
                streams fixedStreams: LiveStreams? = nil, authorized: Bool = false) async throws -> Response {
        let caller = try context.requireCaller()
        if !authorized {
            try caller.require(.reader, .auditor, .admin)
            try caller.requireTenantWide()
        }
        let input = QueryInput(request: request)
        let category = try input.string("category", maximumLength: 128)
        let type = try input.string("type", maximumLength: 128)
        let streams = try fixedStreams ?? (fixed ?? input.string("stream")).map(LiveStreams.named)
        let start = try startCursor(request, input)
        let filter = LogFilter(tenant: caller.tenant, category: category, types: type.map { [$0] })
        // The follower must know where it starts before a client registers: what it
        // delivered before the registration, the client's catch-up read finds in the log.
        guard let now = await live.started(within: .seconds(5)) else {
            var problem = APIError(.serviceUnavailable, "unavailable", "Service Unavailable",
                                   detail: "the live stream is starting; retry shortly")
            problem.headers[.retryAfter] = "1"
            throw problem
        }
        // Registered before the catch-up read, so that nothing falls between the two.
        let channel = context.channel
        let logger = context.logger
        let (subscriber, delivered) = live.subscribe(filter: filter, streams: streams) {
            logger.notice("live stream: client too slow; disconnecting it")
            channel?.close(promise: nil)
        }
        let after = start ?? now
        let session = LiveSession(store: store, live: live, subscriber: subscriber, followerDelivered: delivered ?? now,
                                  logger: context.logger)
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in try await session.run(after: after, writer: &writer) })
    }

    private func startCursor(_ request: Request, _ input: QueryInput) throws -> Cursor? {
        if let header = request.headers[.lastEventID] {
            guard let cursor = Cursor(header) else { throw APIError.invalid("Last-Event-ID", "is not a cursor") }
            return cursor
        }
        return try input.cursor("after")
    }
}
