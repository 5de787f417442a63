import Domain
import EventStore
import Foundation
import Projections

/// Queues a version's ingestion tasks: one for the commit each source names now (the same
/// content for the same version is one task), within the tenant's queue limit.
struct VersionTaskQueue: Sendable {
    let tasks: IngestionWrites
    let documents: DocumentWrites
    let database: TenantDatabase
    let maximumQueuedTasks: Int

    /// - Throws: ``APIError`` 429 with `Retry-After` when the tenant's unfinished tasks and
    ///   `count` more would pass the limit.
    func requireRoom(for count: Int, tenant: String) async throws {
        let unfinished = try await database.queries(IngestionQueries.self, as: tenant) { try await $0.unfinished(tenant: tenant) }
        guard unfinished + count <= maximumQueuedTasks else {
            var problem = APIError(.tooManyRequests, "ingestion-queue-full", "Ingestion queue full",
                                   detail: "the tenant has \(unfinished) unfinished ingestion tasks; at most \(maximumQueuedTasks) may wait")
            problem.headers[.retryAfter] = "5"
            throw problem
        }
    }

    /// Queues a task for each source of `version` of index `name` (of `sources` among them,
    /// when given); sources naming no commit are listed as skipped. Only tasks not queued
    /// before count against the limit.
    /// - Throws: ``APIError`` 429 (nothing queued) when the new tasks would pass the limit.
    func queue(_ version: IndexVersion, index name: String, tenant: String, metadata: EventMetadata,
               sources: Set<IndexSource>? = nil) async throws -> QueuedView {
        var resolved: [(IndexSource, DocumentCommit, IngestionTaskKey)] = []
        var skipped: [QueuedView.SkippedSource] = []
        var new = 0
        for source in version.spec.sources where sources?.contains(source) ?? true {
            guard let commit = try await commit(of: source, tenant: tenant) else {
                skipped.append(.init(documentId: source.documentID, ref: source.ref, reason: "no document or ref of this name"))
                continue
            }
            let key = IngestionTaskKey(index: name, version: version.number, contentSHA256: commit.content.sha256)
            if (try? await tasks.state(tenant: tenant, key: key)) == nil { new += 1 }
            resolved.append((source, commit, key))
        }
        if new > 0 { try await requireRoom(for: new, tenant: tenant) }
        var queued: [QueuedView.QueuedTask] = []
        for (source, commit, key) in resolved {
            let outcome = try await tasks.handle(
                .queue(key, target: IngestionTarget(documentID: source.documentID, commitID: commit.id),
                       contentSize: Int(commit.content.size), maxAttempts: IngestionTask.defaultAttempts, now: tasks.clock.now()),
                tenant: tenant, key: key, metadata: metadata)
            let created = outcome.events.contains { if case .queued = $0 { true } else { false } }
            queued.append(.init(taskId: key.id, documentId: source.documentID, commitId: commit.id, created: created))
        }
        return QueuedView(index: name, version: version.number, tasks: queued, skipped: skipped)
    }

    /// The commit `source` names now; nil for an unknown document or ref.
    private func commit(of source: IndexSource, tenant: String) async throws -> DocumentCommit? {
        let document = try await documents.state(tenant: tenant, documentID: source.documentID).state
        guard document.record != nil else { return nil }
        return document.resolve(source.ref)
    }
}
