import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// `POST /v1/route` (docs/channels.md, "Routing"): the channel and upstream key a gateway
/// should call for a model, and the ordered fallbacks; decided from this process's `channels`
/// read model, which follows the log, so a trip recorded by any process is honoured here
/// once its event is read. A breaker whose cooldown ended is probed: its slot is written to
/// the channel's stream before the route is answered.
struct RouteController {
    let writes: ChannelWrites
    let channels: ChannelsReadModel
    let limits: RouteLimits
    let maximumBodySize: Int
    /// The most fallbacks an answer lists, and how many it lists unless asked.
    static let maximumFallbacks = 10
    static let defaultFallbacks = 3
    /// The most channels a request may exclude.
    static let maximumExcluded = 100

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/route") { request, context in try await route(request, context) }
        router.post("/v1/route/release") { request, context in try await release(request, context) }
    }

    private func route(_ request: Request, _ context: AppRequestContext) async throws -> RouteView {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        // The answer holds upstream secrets: a gateway's key, never one acting for a user.
        try caller.requireTenantWide()
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(RouteInput.self)
        let now = writes.clock.now()
        let (asked, userID) = try await routeRequest(body, tenant: caller.tenant, now: now)
        let requestID = try body.requestId.map { try Self.checkedRequestID($0) } ?? "route_" + UUID().uuidString.lowercased()
        let wanted = body.fallbacks ?? Self.defaultFallbacks
        guard (0...Self.maximumFallbacks).contains(wanted) else {
            throw APIError.invalid("fallbacks", "must be 0-\(Self.maximumFallbacks)")
        }
        let leaseEnd = try RouteLimits.leaseEnd(body.leaseSeconds, now: now)
        var generator = FastRandom()
        let candidates = channels.model.routing(tenant: caller.tenant, model: asked.model)
        let plan = RoutePlan(candidates: candidates,
                             options: ChannelRouter.plan(asked, channels: candidates, now: now, limit: wanted + 1, using: &generator))
        let demands = limits.requestDemands(tenant: caller.tenant, keyID: body.keyId, userID: userID, model: asked.model,
                                            tokens: body.tokens ?? 0)
        let tokens = try RouteLimits.tokens(body.tokens, demands: demands + plan.options.compactMap { plan.demand($0, tokens: 0) })
        // Every route counts against the key's, user's and model's rpm and tpm, a retry too.
        let counted = try await limits.limiter.count(tenant: caller.tenant, demands: demands, now: now)
        do {
            let attempt = RouteAttempt(tenant: caller.tenant, requestID: requestID, asked: asked, demands: demands, tokens: tokens,
                                       now: now, leaseEnd: leaseEnd, fallbacks: wanted)
            return try await firstAdmitted(plan, attempt, request, context)
        } catch {
            limits.limiter.giveBack(counted)
            throw error
        }
    }

    /// What one route asks, once checked.
    private struct RouteAttempt {
        let tenant: String
        let requestID: String
        let asked: RouteRequest
        /// The limits of the request's key, user and model.
        let demands: [RateDemand]
        let tokens: Int
        let now: Date
        let leaseEnd: Date
        let fallbacks: Int
    }

    /// The answer naming the first option of `plan` whose call the limits admit and that may
    /// be called (its probe slot, if it needs one, written).
    /// - Throws: a ``RateRefusal`` of the request's own limits at once; the refusal that clears
    ///   first when every channel tried was at one of its limits; else why no channel may serve.
    private func firstAdmitted(_ plan: RoutePlan, _ attempt: RouteAttempt, _ request: Request, _ context: AppRequestContext)
        async throws -> RouteView
    {
        var refusals: [RateRefusal] = []
        for (index, option) in plan.options.enumerated() {
            let channel = plan.demand(option, tokens: attempt.tokens)
            let hold: RouteLimits.Hold
            do {
                hold = try await limits.admit(tenant: attempt.tenant, request: attempt.requestID, channelID: option.channelID,
                                              channel: channel, demands: attempt.demands, now: attempt.now, until: attempt.leaseEnd)
            } catch let refusal as RateRefusal where refusal.scope == channel?.scope {
                refusals.append(refusal)
                continue
            }
            do {
                // The targets first: a slot is claimed only for an answer that can be given.
                let fallbacks = try plan.options[(index + 1)...].filter { $0.probe == nil }.prefix(attempt.fallbacks)
                    .map { try target($0, plan, model: attempt.asked.model, tenant: attempt.tenant) }
                let chosen = try target(option, plan, model: attempt.asked.model, tenant: attempt.tenant)
                guard let probe = try await claim(option, model: attempt.asked.model, requestID: attempt.requestID,
                                                  tenant: attempt.tenant, request, context) else {
                    await limits.giveBack(hold)
                    continue
                }
                return RouteView(requestId: attempt.requestID, strategy: attempt.asked.strategy.rawValue, channel: chosen, probe: probe,
                                 fallbacks: fallbacks)
            } catch {
                await limits.giveBack(hold)
                throw error
            }
        }
        if let refusal = RouteLimits.refusal(refusals) { throw refusal }
        throw Self.noChannel(attempt.asked, channels.model.channels(tenant: attempt.tenant).map(\.state), now: attempt.now)
    }

    /// `POST /v1/route/release`: requests that ended without an upstream call to report free
    /// their places under limits on requests at once.
    private func release(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        try caller.requireTenantWide()
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(RouteReleaseInput.self)
        guard (1...Channel.maximumOutcomesPerReport).contains(body.requestIds.count) else {
            throw APIError.invalid("request_ids", "must hold 1-\(Channel.maximumOutcomesPerReport) request ids")
        }
        for (index, id) in body.requestIds.enumerated() {
            if let problem = TextRule.problem(with: id, maximum: 200) { throw APIError.invalid("request_ids[\(index)]", problem) }
        }
        try await limits.limiter.release(tenant: caller.tenant, requests: body.requestIds)
        return Response(status: .noContent)
    }

    /// Whether `option` may be called, and whether the call is a probe: at once when it needs
    /// none; else once its probe slot is written. nil when another caller took the last slot
    /// first (or the channel changed meanwhile); false for a probe when the write found the
    /// breaker closed already (this process's view was behind).
    private func claim(_ option: RouteOption, model: String, requestID: String, tenant: String, _ request: Request,
                       _ context: AppRequestContext) async throws -> Bool? {
        guard let probe = option.probe else { return false }
        let probed: String? = if case .model(let name) = probe { name } else { nil }
        do {
            let outcome = try await writes.handle(.claimProbe(model: probed, requestID: requestID, now: writes.clock.now()),
                                                  tenant: tenant, id: option.channelID,
                                                  metadata: RequestMetadata(request, context).metadata)
            return outcome.state.breaker(of: probed).phase != .closed
        } catch is ChannelError {
            return nil
        }
    }

    /// What the body asks for, with the group and model rules of the API key it names, and
    /// the user it is made for (the key's, else the body's).
    private func routeRequest(_ body: RouteInput, tenant: String, now: Date) async throws -> (RouteRequest, user: String?) {
        if let problem = TextRule.problem(with: body.model, maximum: 200) { throw APIError.invalid("model", problem) }
        let exclude = body.exclude ?? []
        guard exclude.count <= Self.maximumExcluded else { throw APIError.invalid("exclude", "must name at most \(Self.maximumExcluded) channels") }
        let strategy = try body.strategy.map {
            guard let strategy = RoutingStrategy(rawValue: $0) else { throw APIError.invalid("strategy", "must be priority, cost or latency") }
            return strategy
        } ?? .priority
        if let rate = body.minSuccessRate, !(rate.isFinite && (0...1).contains(rate)) {
            throw APIError.invalid("min_success_rate", "must be 0-1")
        }
        if let latency = body.maxLatencyMs, !(latency.isFinite && latency > 0) {
            throw APIError.invalid("max_latency_ms", "must be a number of milliseconds above 0")
        }
        var group = body.group
        var user = body.userId
        if let user, let problem = TextRule.problem(with: user, maximum: 200) { throw APIError.invalid("user_id", problem) }
        if let keyID = body.keyId {
            let key = try await key(keyID, tenant: tenant, model: body.model, now: now)
            if let group, group != key.profile.group {
                throw APIError.invalid("group", "key \(keyID) is of group \(key.profile.group)")
            }
            group = key.profile.group
            if let owner = key.profile.userID {
                if let user, user != owner { throw APIError.invalid("user_id", "key \(keyID) acts for user \(owner)") }
                user = owner
            }
        }
        if let group, let problem = TextRule.problem(with: group, maximum: 100) { throw APIError.invalid("group", problem) }
        return (RouteRequest(model: body.model, group: group ?? PriceList.defaultGroup, exclude: Set(exclude), strategy: strategy,
                             minimumSuccessRate: body.minSuccessRate, maximumLatencyMs: body.maxLatencyMs), user)
    }

    /// The API key `keyID`, which must be usable and allowed `model`.
    private func key(_ keyID: String, tenant: String, model: String, now: Date) async throws -> KeyRecord {
        let key = try await writes.store.keyRecord(keyID, tenant: tenant).record
        guard key.isUsable(at: now) else {
            throw APIError(.forbidden, "key-not-usable", "Key not usable",
                           detail: "key \(keyID) is \(key.deleted ? "deleted" : key.effectiveStatus(at: now).rawValue)")
        }
        guard key.profile.allows(model: model) else {
            throw APIError(.forbidden, "model-not-allowed", "Model not allowed", detail: "key \(keyID) may not use model \(model)")
        }
        return key
    }

    private func target(_ option: RouteOption, _ plan: RoutePlan, model: String, tenant: String) throws -> RouteView.Target {
        guard let state = plan.state(of: option), let spec = state.spec, let key = state.key(option.keyID) else {
            throw APIError(.internalServerError, "internal", "Internal Server Error", detail: "a routed channel vanished")
        }
        let channelID = option.channelID
        let secretRef: String? = if case .reference(let reference) = key.secret { reference } else { nil }
        let secret: String?
        do {
            secret = try writes.open(key, tenant: tenant, channelID: channelID)
        } catch {
            throw APIError(.internalServerError, "secret-does-not-open", "Secret does not open",
                           detail: "key \(key.id) of channel \(channelID) was sealed with a master key this server does not have "
                               + "(give it in EVENTLOOM_MASTER_KEY_PREVIOUS, or add the key again)")
        }
        return RouteView.Target(channelId: channelID, provider: spec.provider, baseUrl: spec.baseURL,
                                upstreamModel: spec.models.first { $0.name == model }?.upstreamName ?? model,
                                key: RouteView.KeyTarget(id: key.id, secret: secret, secretRef: secretRef))
    }

    private static func checkedRequestID(_ id: String) throws -> String {
        if let problem = TextRule.problem(with: id, maximum: 200) { throw APIError.invalid("request_id", problem) }
        return id
    }
}
