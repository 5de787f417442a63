import Domain
import EventStore
import Foundation
import Hummingbird
import PostgresNIO

/// What the worker holding a task reports, each with its fencing token (docs/indexes.md,
/// "Ingestion"): `PUT /v1/ingestion/tasks/{id}/parts/{part}`, `POST …/progress`,
/// `POST …/complete` and `POST …/fail`. A stale token is 409 `ingestion-stale-token`, and
/// nothing it sent is ever committed.
struct IngestionReportsController {
    let tasks: IngestionWrites
    let indexes: IndexWrites
    let maximumBodySize: Int
    let maximumPartBytes: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.put("/v1/ingestion/tasks/:id/parts/:part") { request, context in try await stage(request, context) }
        router.post("/v1/ingestion/tasks/:id/progress") { request, context in try await progress(request, context) }
        router.post("/v1/ingestion/tasks/:id/complete") { request, context in try await complete(request, context) }
        router.post("/v1/ingestion/tasks/:id/fail") { request, context in try await fail(request, context) }
    }

    /// Stages a part of chunks under the token: not searchable until the task completes.
    private func stage(_ request: Request, _ context: AppRequestContext) async throws -> StagedView {
        let caller = try worker(context)
        let key = try IngestionInput.task(context)
        let partText = try PathInput(context: context).string("part")
        guard let part = Int(partText), (0..<10_000).contains(part) else {
            throw APIError.invalid("part", "must be a part number in 0..<10000")
        }
        let body = try await JSONBody(request: request, context: context, limit: maximumPartBytes).decode(PartInput.self)
        let state = try await tasks.state(tenant: caller.tenant, key: key)
        try IngestionTask.checkFence(token: body.fencingToken, state: state, now: tasks.clock.now())
        let index = try await indexes.state(tenant: caller.tenant, name: key.index).state
        guard let version = index.versions[key.version] else { throw SearchIndexError.unknownVersion(key.version) }
        let chunks = try body.validated(dimension: version.spec.dimension, contentSize: state.contentSize)
        let taskID = key.id
        try await tasks.chunks.stage(tenant: caller.tenant, taskID: taskID, token: body.fencingToken, part: part, chunks: chunks)
        let staged = try await tasks.chunks.staged(tenant: caller.tenant, taskID: taskID, token: body.fencingToken)
        guard staged.chunks <= Chunk.maximumPerTask else {
            throw APIError.invalid("chunks", "a task commits at most \(Chunk.maximumPerTask) chunks")
        }
        return StagedView(taskId: taskID, part: part, chunks: chunks.count, stagedChunks: staged.chunks)
    }

    /// The holder's heartbeat: progress, and the lease extended.
    private func progress(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ReportView> {
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ProgressInput.self)
        let lease = try IngestionInput.lease(body.leaseMs)
        return try await report(request, context) { now in
            .reportProgress(token: body.fencingToken, chunks: body.chunks, parts: body.parts, lease: lease, now: now)
        }
    }

    /// Commits what the token staged, whole: 409 `ingestion-parts-incomplete` when the
    /// chunks staged do not run 0, 1, … without a gap (or there are none).
    private func complete(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ReportView> {
        let caller = try worker(context)
        let key = try IngestionInput.task(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(CompleteInput.self)
        let state = try await tasks.state(tenant: caller.tenant, key: key)
        try IngestionTask.checkFence(token: body.fencingToken, state: state, now: tasks.clock.now())
        let staged = try await tasks.chunks.staged(tenant: caller.tenant, taskID: key.id, token: body.fencingToken)
        guard staged.chunks > 0, staged.isContiguous else {
            throw APIError(.conflict, "ingestion-parts-incomplete", "Parts incomplete",
                           detail: "\(staged.chunks) chunks are staged under this token with ordinals up to \(staged.highestOrdinal); "
                               + "a task commits chunks 0, 1, … without a gap")
        }
        guard let content = Hex.decode(key.contentSHA256) else { throw IngestionTaskError.unknown }
        // Whose personal data the chunks are: the content's holder, checked again (and held)
        // in the commit's transaction.
        guard let scope = try await tasks.contents.holder(of: content, tenant: caller.tenant) else { throw ChunkStore.contentErased }
        let result = IngestionResult(chunks: staged.chunks, parts: max(state.parts, 1), bytes: staged.bytes, dataSHA256: staged.digest,
                                     scope: scope)
        let outcome = try await tasks.handle(
            .complete(token: body.fencingToken, result, now: tasks.clock.now()), tenant: caller.tenant, key: key,
            metadata: RequestMetadata(request, context).metadata,
            alongside: { connection in
                let holder = try await tasks.contents.holder(of: content, tenant: caller.tenant, on: connection)
                guard let holder else { throw ChunkStore.contentErased }
                guard holder == scope else {
                    throw EventStoreError(.concurrentChange, "the documents holding the content changed while the task was committed; commit again")
                }
                try await tasks.chunks.commit(tenant: caller.tenant, taskID: key.id, token: body.fencingToken, scope: scope,
                                              expected: staged, on: connection)
            })
        return WriteResponse.make(ReportView(key: key, state: outcome.state), version: outcome.version,
                                  position: outcome.append?.lastCursor)
    }

    private func fail(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ReportView> {
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(FailInput.self)
        // What the failed attempt staged is dropped with the failure: a new claim stages anew.
        return try await report(request, context, alongside: { tenant, key, connection in
            try await tasks.chunks.dropStaged(tenant: tenant, taskID: key.id, token: body.fencingToken, on: connection)
        }) { now in
            .fail(token: body.fencingToken, error: body.error, retryable: body.retryable ?? true, now: now)
        }
    }

    private func report(_ request: Request, _ context: AppRequestContext,
                        alongside: ((String, IngestionTaskKey, PostgresConnection) async throws -> Void)? = nil,
                        _ make: (Date) -> IngestionTaskCommand) async throws -> EditedResponse<ReportView> {
        let caller = try worker(context)
        let key = try IngestionInput.task(context)
        let outcome = try await tasks.handle(make(tasks.clock.now()), tenant: caller.tenant, key: key,
                                             metadata: RequestMetadata(request, context).metadata,
                                             alongside: alongside.map { body in { connection in try await body(caller.tenant, key, connection) } })
        return WriteResponse.make(ReportView(key: key, state: outcome.state), version: outcome.version,
                                  position: outcome.append?.lastCursor)
    }

    private func worker(_ context: AppRequestContext) throws -> Caller {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        try caller.requireTenantWide()
        return caller
    }
}
