import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// Building a version (docs/indexes.md, "Ingestion"): `POST /v1/indexes/{name}/versions/{version}/tasks`
/// queues a task for the commit each source names now (idempotent: the same content for
/// the same version is one task), `GET …/build` tells how its tasks stand, and
/// `GET …/build/events` follows it (SSE: its tasks' events and its index's).
struct IndexBuildsController {
    let indexes: IndexWrites
    let queue: VersionTaskQueue
    let database: TenantDatabase
    let consistency: Consistency
    let live: LiveController
    let search: SearchReadModel
    let processes: ServingProcesses

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/indexes/:name/versions/:version/tasks") { request, context in try await queueTasks(request, context) }
        router.get("/v1/indexes/:name/versions/:version/build") { request, context in try await build(request, context) }
        router.get("/v1/indexes/:name/versions/:version/build/events") { request, context in try await events(request, context) }
    }

    /// 429 with `Retry-After` when the tenant's unfinished tasks and the new ones together
    /// pass the limit: nothing is queued.
    private func queueTasks(_ request: Request, _ context: AppRequestContext) async throws -> QueuedView {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        try caller.requireTenantWide()
        let name = try IndexInput.name(context)
        let number = try IndexInput.version(context)
        let index = try await indexes.state(tenant: caller.tenant, name: name).state
        guard let version = index.versions[number] else { throw SearchIndexError.unknownVersion(number) }
        guard version.status == .building || version.status == .ready else {
            throw SearchIndexError.wrongStatus(version: number, status: version.status)
        }
        return try await queue.queue(version, index: name, tenant: caller.tenant, metadata: RequestMetadata(request, context).metadata)
    }

    private func build(_ request: Request, _ context: AppRequestContext) async throws -> BuildView {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        let name = try IndexInput.name(context)
        let number = try IndexInput.version(context)
        let index = try await indexes.state(tenant: caller.tenant, name: name).state
        guard let version = index.versions[number] else { throw SearchIndexError.unknownVersion(number) }
        try await consistency.wait(for: "ingestion", askedBy: request)
        let progress = try await database.queries(IngestionQueries.self, as: caller.tenant) {
            try await $0.progress(tenant: caller.tenant, index: name, version: number)
        }
        let key = VersionKey(tenant: caller.tenant, index: name, version: number)
        return BuildView(index: name, version: number, status: version.status.rawValue, tasks: progress.total,
                         queued: progress.queued, claimed: progress.claimed, succeeded: progress.succeeded,
                         deadLettered: progress.deadLettered, chunks: progress.chunks, vectors: search.vectorCount(key),
                         servingProcesses: try await servingProcesses(loading: key))
    }

    /// The build as it goes (SSE): every event of the version's tasks, and the index's
    /// events (the version ready, its weights), from `after` or `Last-Event-ID`.
    private func events(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        try caller.requireTenantWide()
        let name = try IndexInput.name(context)
        let number = try IndexInput.version(context)
        let index = try await indexes.state(tenant: caller.tenant, name: name).state
        guard index.versions[number] != nil else { throw SearchIndexError.unknownVersion(number) }
        let streams = LiveStreams(names: [SearchIndex.stream(name)],
                                  prefixes: [IngestionTask.stream(IngestionTaskKey(index: name, version: number, contentSHA256: ""))])
        return try await live.stream(request, context, streams: streams, authorized: true)
    }

    /// The serving processes seen lately, each with whether it applied the version's last
    /// committed chunks (as this process's read model knows them).
    private func servingProcesses(loading key: VersionKey) async throws -> [ServingProcessView] {
        let lastSuccess = search.build(key)?.lastSuccess
        let held = search.vectorCount(key) != nil
        return try await processes.live(within: ServingProcessHeartbeat.staleAfter).map { process in
            ServingProcessView(process: process.processID, host: process.host, pid: process.pid,
                               checkpoint: process.checkpoint.description,
                               loaded: held && lastSuccess.map { process.checkpoint >= $0 } ?? true,
                               seenAt: APITime.text(process.seenAt))
        }
    }
}
