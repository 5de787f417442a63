import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// Ingestion tasks for workers and operators (docs/indexes.md, "Ingestion"):
/// `POST /v1/ingestion/claims`, `GET /v1/ingestion/tasks`, `GET /v1/ingestion/tasks/{id}`,
/// `GET /v1/ingestion/tasks/{id}/events` (SSE) and `POST /v1/ingestion/tasks/{id}/requeue`.
struct IngestionController {
    let tasks: IngestionWrites
    let indexes: IndexWrites
    let database: TenantDatabase
    let consistency: Consistency
    let live: LiveController
    let maximumBodySize: Int
    let maximumPageSize: Int

    /// How many claimable tasks a claim tries before it answers that there is none.
    static let claimCandidates = 16

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/ingestion/claims") { request, context in try await claim(request, context) }
        router.get("/v1/ingestion/tasks") { request, context in try await list(request, context) }
        router.get("/v1/ingestion/tasks/:id") { request, context in try await show(request, context) }
        router.get("/v1/ingestion/tasks/:id/events") { request, context in try await events(request, context) }
        router.post("/v1/ingestion/tasks/:id/requeue") { request, context in try await requeue(request, context) }
    }

    /// The oldest claimable task (of `index`, `version` when given), claimed for the worker;
    /// 204 when there is none. Two workers never get one task: the loser tries the next.
    private func claim(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        try caller.requireTenantWide()
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ClaimInput.self)
        let lease = try IngestionInput.lease(body.leaseMs)
        if let reason = TextRule.problem(with: body.worker, maximum: 200) { throw APIError.invalid("worker", reason) }
        if let index = body.index { try IndexInput.validate(name: index, field: "index") }
        if let version = body.version, !(1...SearchIndex.maximumVersions).contains(version) {
            throw APIError.invalid("version", "must be a version number in 1...\(SearchIndex.maximumVersions)")
        }
        let now = tasks.clock.now()
        let candidates = try await database.queries(IngestionQueries.self, as: caller.tenant) {
            try await $0.claimable(tenant: caller.tenant, index: body.index, version: body.version, now: now,
                                   limit: Self.claimCandidates)
        }
        let metadata = RequestMetadata(request, context).metadata
        for id in candidates {
            guard let key = IngestionTaskKey(id: id) else { continue }
            let outcome: CommandHandler<IngestionTask>.Outcome
            do {
                outcome = try await tasks.handle(.claim(worker: body.worker, lease: lease, now: now), tenant: caller.tenant,
                                                 key: key, metadata: metadata)
            } catch let error as IngestionTaskError {
                if case .invalid = error { throw error }
                continue   // claimed by another worker, in backoff or finished since the read model saw it
            }
            guard let claim = outcome.state.claim,
                  let spec = try await indexes.state(tenant: caller.tenant, name: key.index).state.versions[key.version]?.spec
            else { continue }
            var view = ClaimView(key: key, claim: claim, state: outcome.state, spec: spec)
            view.position = outcome.append?.lastCursor.description
            return try context.responseEncoder.encode(view, from: request, context: context)
        }
        return Response(status: .noContent)
    }

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> TaskPage {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        let input = QueryInput(request: request)
        var filter = IngestionTaskFilter(limit: try input.int("limit", in: 1...maximumPageSize) ?? 100)
        filter.index = try input.string("index", maximumLength: SearchIndex.maximumNameLength)
        if let index = filter.index { try IndexInput.validate(name: index, field: "index") }
        filter.version = try input.int("version", in: 1...SearchIndex.maximumVersions)
        filter.status = try input.string("status", maximumLength: 16)
        if let status = filter.status, IngestionTaskState.Status(rawValue: status) == nil {
            throw APIError.invalid("status", "must be one of \(IngestionTaskState.Status.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        filter.after = try input.string("after", maximumLength: 300)
        try await consistency.wait(for: "ingestion", askedBy: request)
        let rows = try await database.queries(IngestionQueries.self, as: caller.tenant) {
            try await $0.list(tenant: caller.tenant, filter)
        }
        return TaskPage(tasks: rows.map(TaskView.init), next: rows.count == filter.limit ? rows.last?.taskID : nil)
    }

    private func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        let key = try IngestionInput.task(context)
        try await consistency.wait(for: "ingestion", askedBy: request)
        guard let row = try await database.queries(IngestionQueries.self, as: caller.tenant, {
            try await $0.task(tenant: caller.tenant, taskID: key.id)
        }) else { throw IngestionTaskError.unknown }
        return try ReadResponse.json(TaskView(row), request: request, context: context, etag: "\"\(row.streamVersion)\"")
    }

    /// The task's events as they are recorded (SSE), from `after` or `Last-Event-ID`.
    private func events(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        let key = try IngestionInput.task(context)
        return try await live.stream(request, context, stream: IngestionTask.stream(key), authorized: true)
    }

    /// Admin only: a dead-lettered task back in the queue with its attempts reset.
    private func requeue(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ReportView> {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        try caller.requireTenantWide()
        let key = try IngestionInput.task(context)
        let outcome = try await tasks.handle(.requeue(by: caller.actor, now: tasks.clock.now()), tenant: caller.tenant, key: key,
                                             metadata: RequestMetadata(request, context).metadata)
        guard outcome.state.isKnown else { throw IngestionTaskError.unknown }
        return WriteResponse.make(ReportView(key: key, state: outcome.state), version: outcome.version,
                                  position: outcome.append?.lastCursor)
    }
}
