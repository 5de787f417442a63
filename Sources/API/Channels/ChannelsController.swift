import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// Upstream channels (docs/channels.md): `POST /v1/channels`, `PUT`, `DELETE` and `GET
/// /v1/channels/{id}`, `GET /v1/channels`, `POST /v1/channels/{id}/enable` and `/disable`, keys
/// under `/v1/channels/{id}/keys`, and `GET /v1/channels/{id}/events` (SSE). Changes are an
/// administrator's; reads come from the `channels` read model of this process.
struct ChannelsController {
    let writes: ChannelWrites
    let channels: ChannelsReadModel
    let live: LiveController
    let consistency: Consistency
    let maximumBodySize: Int
    let consistencyTimeout: Duration

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/channels") { request, context in try await create(request, context) }
        router.get("/v1/channels") { request, context in try await list(request, context) }
        router.get("/v1/channels/:id") { request, context in try await show(request, context) }
        router.put("/v1/channels/:id") { request, context in try await update(request, context) }
        router.delete("/v1/channels/:id") { request, context in
            try await change(request, context) { .delete(by: $0, now: $1) }
        }
        router.post("/v1/channels/:id/enable") { request, context in
            try await change(request, context) { .enable(by: $0, now: $1) }
        }
        router.post("/v1/channels/:id/disable") { request, context in try await disable(request, context) }
        router.post("/v1/channels/:id/keys") { request, context in try await addKey(request, context) }
        router.post("/v1/channels/:id/keys/:key/drain") { request, context in
            let key = try PathInput(context: context).string("key")
            return try await change(request, context) { .drainKey(id: key, by: $0, now: $1) }
        }
        router.post("/v1/channels/:id/keys/:key/retire") { request, context in
            let key = try PathInput(context: context).string("key")
            return try await change(request, context) { .retireKey(id: key, by: $0, now: $1) }
        }
        router.get("/v1/channels/:id/events") { request, context in try await events(request, context) }
    }

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ChannelView> {
        let caller = try administrator(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ChannelInput.self)
        guard let id = body.id else { throw APIError.invalid("id", "is required") }
        let outcome = try await writes.handle(.create(id: id, spec: try body.spec(), by: caller.actor, now: writes.clock.now()),
                                              tenant: caller.tenant, id: id, metadata: RequestMetadata(request, context).metadata)
        return written(outcome, status: outcome.events.isEmpty ? .ok : .created)
    }

    private func update(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ChannelView> {
        let caller = try administrator(context)
        let id = try PathInput(context: context).string("id")
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ChannelInput.self)
        if let named = body.id, named != id { throw APIError.invalid("id", "must be the channel's id of the path, or absent") }
        let outcome = try await writes.handle(.update(spec: try body.spec(), by: caller.actor, now: writes.clock.now()),
                                              tenant: caller.tenant, id: id, ifVersion: try WriteResponse.ifMatch(request),
                                              metadata: RequestMetadata(request, context).metadata)
        return written(outcome)
    }

    private func disable(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ChannelView> {
        _ = try administrator(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(DisableChannelInput.self)
        return try await change(request, context) { .disable(by: $0, reason: body.reason, now: $1) }
    }

    private func addKey(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ChannelView> {
        let caller = try administrator(context)
        let id = try PathInput(context: context).string("id")
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ChannelKeyInput.self)
        let state = try await writes.state(tenant: caller.tenant, id: id, field: "id")
        guard state.isKnown else { throw ChannelError.unknown }
        guard !state.isDeleted else { throw ChannelError.deleted }
        let secret: ChannelSecret
        switch (body.secret, body.secretRef) {
        case (let text?, nil):
            guard (1...Channel.maximumSecretLength).contains(text.utf8.count) else {
                throw APIError.invalid("secret", "must be 1-\(Channel.maximumSecretLength) bytes")
            }
            secret = try writes.seal(text, tenant: caller.tenant, channelID: id, keyID: body.keyId)
        case (nil, let reference?): secret = .reference(reference)
        default: throw APIError.invalid("secret", "send either secret or secret_ref")
        }
        let outcome = try await writes.handle(.addKey(id: body.keyId, secret: secret, by: caller.actor, now: writes.clock.now()),
                                              tenant: caller.tenant, id: id, ifVersion: try WriteResponse.ifMatch(request),
                                              metadata: RequestMetadata(request, context).metadata)
        return written(outcome, status: outcome.events.isEmpty ? .ok : .created)
    }

    /// An administrator's command on channel `{id}`, made of the caller's actor and now.
    private func change(_ request: Request, _ context: AppRequestContext,
                        _ command: (String, Date) -> ChannelCommand) async throws -> EditedResponse<ChannelView> {
        let caller = try administrator(context)
        let outcome = try await writes.handle(command(caller.actor, writes.clock.now()), tenant: caller.tenant,
                                              id: try PathInput(context: context).string("id"), ifVersion: try WriteResponse.ifMatch(request),
                                              metadata: RequestMetadata(request, context).metadata)
        return written(outcome)
    }

    private func written(_ outcome: CommandHandler<Channel>.Outcome, status: HTTPResponse.Status = .ok) -> EditedResponse<ChannelView> {
        WriteResponse.make(ChannelView(outcome.state, version: outcome.version, stats: nil, now: writes.clock.now()), status: status,
                           version: outcome.version, position: outcome.append?.lastCursor)
    }

    private func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try reader(context)
        let id = try PathInput(context: context).string("id")
        try await waitIfAsked(request)
        guard let entry = channels.model.channel(tenant: caller.tenant, id: id) else {
            throw APIError.notFound("no channel \(id)")
        }
        return try ReadResponse.json(ChannelView(entry.state, version: entry.version, stats: entry.stats, now: writes.clock.now()),
                                     request: request, context: context, etag: "\"\(entry.version)\"")
    }

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> ChannelPage {
        let caller = try reader(context)
        try await waitIfAsked(request)
        let now = writes.clock.now()
        return ChannelPage(channels: channels.model.channels(tenant: caller.tenant).map {
            ChannelView($0.state, version: $0.version, stats: $0.stats, now: now)
        })
    }

    /// The channel's events live: its lifecycle, keys, outcome reports and breaker transitions.
    private func events(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try reader(context)
        let id = try PathInput(context: context).string("id")
        return try await live.stream(request, context, stream: Channel.stream(id), authorized: true)
    }

    /// With `consistent_with`, waits until the read model has applied that write.
    private func waitIfAsked(_ request: Request) async throws {
        guard let cursor = try QueryInput(request: request).consistentWith(), channels.checkpoint < cursor else { return }
        try await consistency.refuseBeyondHead(cursor)
        guard await channels.wait(for: cursor, timeout: consistencyTimeout) else {
            throw APIError.consistencyTimeout("channels", cursor: cursor, timeout: consistencyTimeout)
        }
    }

    private func administrator(_ context: AppRequestContext) throws -> Caller {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        try caller.requireTenantWide()
        return caller
    }

    /// A tenant-wide reader: channels are the tenant's configuration, not a user's.
    private func reader(_ context: AppRequestContext) throws -> Caller {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        try caller.requireTenantWide()
        return caller
    }
}
