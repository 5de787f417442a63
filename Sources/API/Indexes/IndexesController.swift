import Domain
import EventStore
import Foundation
import Hummingbird

/// Search indexes and their versions (docs/indexes.md): `POST /v1/indexes/{name}/versions`,
/// `GET /v1/indexes/{name}`, `GET …/versions/{version}`, `POST …/activate`, `POST …/traffic`,
/// `POST …/rollout` with `/promote`, `/pause`, `/resume`, `/abort`, `POST
/// …/versions/{version}/evaluations`, `/deprecate`, `/retire`, and `GET …/routing?key=`.
struct IndexesController {
    let writes: IndexWrites
    let queue: VersionTaskQueue
    let maximumBodySize: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/indexes/:name/versions") { request, context in try await createVersion(request, context) }
        router.get("/v1/indexes/:name/versions/:version") { request, context in try await showVersion(request, context) }
        router.post("/v1/indexes/:name/versions/:version/evaluations") { request, context in try await evaluate(request, context) }
        router.post("/v1/indexes/:name/versions/:version/deprecate") { request, context in try await deprecate(request, context) }
        router.post("/v1/indexes/:name/versions/:version/retire") { request, context in try await retire(request, context) }
        router.post("/v1/indexes/:name/activate") { request, context in try await activate(request, context) }
        router.post("/v1/indexes/:name/traffic") { request, context in try await shiftTraffic(request, context) }
        router.post("/v1/indexes/:name/rollout") { request, context in try await startRollout(request, context) }
        router.post("/v1/indexes/:name/rollout/promote") { request, context in
            try await act(request, context) { by, now in .promote(by: by, now: now) }
        }
        router.post("/v1/indexes/:name/rollout/pause") { request, context in
            try await act(request, context) { by, now in .pause(by: by, now: now) }
        }
        router.post("/v1/indexes/:name/rollout/resume") { request, context in
            try await act(request, context) { by, now in .resume(by: by, now: now) }
        }
        router.post("/v1/indexes/:name/rollout/abort") { request, context in try await abort(request, context) }
        router.get("/v1/indexes/:name/routing") { request, context in try await routing(request, context) }
        router.get("/v1/indexes/:name") { request, context in try await show(request, context) }
    }

    /// 201 with the new version, building, its ingestion tasks queued (a task for the commit
    /// each source names now). 429 when its sources would pass the tenant's queue limit:
    /// nothing is written.
    private func createVersion(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<VersionView> {
        let caller = try writer(context)
        let name = try IndexInput.name(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(CreateVersionInput.self)
        let spec = try body.spec()
        try await queue.requireRoom(for: try await sourceCount(spec, migratingFrom: body.migrateFrom, tenant: caller.tenant, name: name),
                                    tenant: caller.tenant)
        let metadata = RequestMetadata(request, context).metadata
        let outcome = try await writes.handle(
            .createVersion(index: name, spec: spec, migratingFrom: body.migrateFrom, by: caller.actor, now: writes.clock.now()),
            tenant: caller.tenant, name: name, metadata: metadata)
        guard case .versionCreated(_, let number, _, _, _, _)? = outcome.events.first,
              let version = outcome.state.versions[number] else { throw SearchIndexError.unknownIndex }
        _ = try await queue.queue(version, index: name, tenant: caller.tenant, metadata: metadata)
        return WriteResponse.make(VersionView(version, state: outcome.state), status: .created, version: outcome.version,
                                  position: outcome.append?.lastCursor)
    }

    /// The sources a new version will have: its own, or its origin's when it names none.
    private func sourceCount(_ spec: IndexVersionSpec, migratingFrom: Int?, tenant: String, name: String) async throws -> Int {
        guard spec.sources.isEmpty, let migratingFrom else { return spec.sources.count }
        let state = try? await writes.state(tenant: tenant, name: name)
        return state?.state.versions[migratingFrom]?.spec.sources.count ?? 0
    }

    private func activate(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<IndexView> {
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ActivateInput.self)
        return try await act(request, context) { by, now in .activate(version: body.version, by: by, now: now) }
    }

    private func shiftTraffic(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<IndexView> {
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(TrafficInput.self)
        let weights = body.weights.map { IndexWeight(version: $0.version, percent: $0.percent) }
        return try await act(request, context) { by, now in .shiftTraffic(weights: weights, by: by, now: now) }
    }

    private func startRollout(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<IndexView> {
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(RolloutInput.self)
        return try await act(request, context) { by, now in .startRollout(canary: body.canary, plan: body.plan(), by: by, now: now) }
    }

    private func abort(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<IndexView> {
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ReasonInput.self)
        return try await act(request, context) { by, now in .abort(reason: body.reason, by: by, now: now) }
    }

    private func evaluate(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<IndexView> {
        let version = try IndexInput.version(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(EvaluationInput.self)
        return try await act(request, context) { by, now in
            .recordEvaluation(version: version, IndexEvaluation(queries: body.queries, k: body.k, recallAtK: body.recallAtK,
                                                                mrr: body.mrr, by: by, at: now))
        }
    }

    private func deprecate(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<IndexView> {
        let version = try IndexInput.version(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ReasonInput.self)
        return try await act(request, context) { _, now in .deprecate(version: version, reason: body.reason, now: now) }
    }

    private func retire(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<IndexView> {
        let version = try IndexInput.version(context)
        return try await act(request, context) { by, now in .retire(version: version, by: by, now: now) }
    }

    /// Decides the command `make` builds (from the caller and the clock) and answers with
    /// the index as it left it.
    private func act(_ request: Request, _ context: AppRequestContext,
                     _ make: (String, Date) -> SearchIndexCommand) async throws -> EditedResponse<IndexView> {
        let caller = try writer(context)
        let name = try IndexInput.name(context)
        let outcome = try await writes.handle(make(caller.actor, writes.clock.now()), tenant: caller.tenant, name: name,
                                              metadata: RequestMetadata(request, context).metadata)
        guard outcome.state.isKnown else { throw SearchIndexError.unknownIndex }
        return WriteResponse.make(IndexView(outcome.state), version: outcome.version, position: outcome.append?.lastCursor)
    }

    private func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try reader(context)
        let folded = try await writes.state(tenant: caller.tenant, name: try IndexInput.name(context))
        return try ReadResponse.json(IndexView(folded.state), request: request, context: context, etag: "\"\(folded.version)\"")
    }

    private func showVersion(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try reader(context)
        let folded = try await writes.state(tenant: caller.tenant, name: try IndexInput.name(context))
        let number = try IndexInput.version(context)
        guard let version = folded.state.versions[number] else { throw SearchIndexError.unknownVersion(number) }
        return try ReadResponse.json(VersionView(version, state: folded.state), request: request, context: context,
                                     etag: "\"\(folded.version)\"")
    }

    /// Which version answers searches routed by `key` now.
    private func routing(_ request: Request, _ context: AppRequestContext) async throws -> RoutingView {
        let caller = try reader(context)
        let folded = try await writes.state(tenant: caller.tenant, name: try IndexInput.name(context))
        guard let key = request.uri.queryParameters.get("key"), TextRule.problem(with: key, maximum: 200) == nil else {
            throw APIError.invalid("key", "must be a routing key of 1-200 characters (a user or session id)")
        }
        guard let routing = folded.state.routing else {
            throw APIError(.conflict, "index-not-serving", "Index not serving", detail: "no version of the index serves yet")
        }
        return RoutingView(key: key, bucket: IndexRouting.bucket(key), version: routing.version(for: key),
                           pinned: routing.canary != nil && routing.pinnedKeys.contains(key))
    }

    private func writer(_ context: AppRequestContext) throws -> Caller {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        try caller.requireTenantWide()
        return caller
    }

    private func reader(_ context: AppRequestContext) throws -> Caller {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        return caller
    }
}
