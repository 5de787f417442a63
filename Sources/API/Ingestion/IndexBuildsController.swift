import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// Building a version (docs/indexes.md, "Ingestion"): `POST /v1/indexes/{name}/versions/{version}/tasks`
/// queues a task for the commit each source names now (idempotent: the same content for
/// the same version is one task), and `GET …/build` tells how its tasks stand.
struct IndexBuildsController {
    let indexes: IndexWrites
    let tasks: IngestionWrites
    let documents: DocumentWrites
    let database: TenantDatabase
    let consistency: Consistency
    let maximumQueuedTasks: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/indexes/:name/versions/:version/tasks") { request, context in try await queue(request, context) }
        router.get("/v1/indexes/:name/versions/:version/build") { request, context in try await build(request, context) }
    }

    /// 429 with `Retry-After` when the tenant's unfinished tasks and the version's sources
    /// together pass the limit: nothing is queued.
    private func queue(_ request: Request, _ context: AppRequestContext) async throws -> QueuedView {
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
        try await requireRoom(for: version.spec.sources.count, tenant: caller.tenant)
        let metadata = RequestMetadata(request, context).metadata
        var queued: [QueuedView.QueuedTask] = []
        var skipped: [QueuedView.SkippedSource] = []
        for source in version.spec.sources {
            guard let commit = try await commit(of: source, tenant: caller.tenant) else {
                skipped.append(.init(documentId: source.documentID, ref: source.ref, reason: "no document or ref of this name"))
                continue
            }
            let key = IngestionTaskKey(index: name, version: number, contentSHA256: commit.content.sha256)
            let outcome = try await tasks.handle(
                .queue(key, target: IngestionTarget(documentID: source.documentID, commitID: commit.id),
                       contentSize: Int(commit.content.size), maxAttempts: IngestionTask.defaultAttempts, now: tasks.clock.now()),
                tenant: caller.tenant, key: key, metadata: metadata)
            let created = outcome.events.contains { if case .queued = $0 { true } else { false } }
            queued.append(.init(taskId: key.id, documentId: source.documentID, commitId: commit.id, created: created))
        }
        return QueuedView(index: name, version: number, tasks: queued, skipped: skipped)
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
        return BuildView(index: name, version: number, status: version.status.rawValue, tasks: progress.total,
                         queued: progress.queued, claimed: progress.claimed, succeeded: progress.succeeded,
                         deadLettered: progress.deadLettered, chunks: progress.chunks)
    }

    private func requireRoom(for count: Int, tenant: String) async throws {
        let unfinished = try await database.queries(IngestionQueries.self, as: tenant) { try await $0.unfinished(tenant: tenant) }
        guard unfinished + count <= maximumQueuedTasks else {
            var problem = APIError(.tooManyRequests, "ingestion-queue-full", "Ingestion queue full",
                                   detail: "the tenant has \(unfinished) unfinished ingestion tasks; at most \(maximumQueuedTasks) may wait")
            problem.headers[.retryAfter] = "5"
            throw problem
        }
    }

    /// The commit `source` names now; nil for an unknown document or ref.
    private func commit(of source: IndexSource, tenant: String) async throws -> DocumentCommit? {
        let document = try await documents.state(tenant: tenant, documentID: source.documentID).state
        guard document.record != nil else { return nil }
        return document.resolve(source.ref)
    }
}
