import Domain
import EventStore
import Foundation
import Logging
import Projections
import ServiceLifecycle

/// Follows the refs a version's sources name (docs/indexes.md, "Sources that move"): every
/// `interval`, for each version still building or ready in this process's search read
/// model, it resolves each source's ref in the documents read model and queues a task for
/// every commit whose content the version has no task for yet, or whose content's task
/// succeeded while the version searches the document by another commit (a ref moved back:
/// the queue adds the commit to that task, which is searched again), through the same queue as
/// `POST …/tasks` (its limit included). Queueing is idempotent (a task per content and
/// version), so every serving process runs one and a round that fails is simply run again.
struct SourceRefReactor: Service {
    let search: SearchReadModel
    let queue: VersionTaskQueue
    let database: TenantDatabase
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: interval) { await runOnce() }
    }

    /// One round over every followed version; a failure is logged and retried next round.
    func runOnce() async {
        for (key, version) in search.followedVersions() {
            do {
                try await follow(key, version)
            } catch let error as APIError where error.status == .tooManyRequests {
                logger.debug("the tenant's ingestion queue is full; a moved source is queued once it has room", metadata: [
                    "tenant": "\(key.tenant)", "index": "\(key.index)", "version": "\(key.version)",
                ])
            } catch {
                logger.warning("could not queue the tasks of a version's moved sources; retrying next round", metadata: [
                    "tenant": "\(key.tenant)", "index": "\(key.index)", "version": "\(key.version)", "error": "\(String(reflecting: error))",
                ])
            }
        }
    }

    private func follow(_ key: VersionKey, _ version: IndexVersion) async throws {
        let sources = version.spec.sources
        guard !sources.isEmpty else { return }
        let named = try await database.queries(DocumentsQueries.self, as: key.tenant) {
            try await $0.resolve(tenant: key.tenant, refs: sources.map { ($0.documentID, $0.ref) })
        }
        let tasks = try await database.queries(IngestionQueries.self, as: key.tenant) {
            try await $0.taskStates(tenant: key.tenant, index: key.index, version: key.version)
        }
        let moved = Set(named.filter { named in
            switch tasks[IngestionTaskKey(index: key.index, version: key.version, contentSHA256: named.contentSHA256).id] {
            case nil: return true
            // The content's task succeeded but the version searches the document by another
            // commit: the ref moved back to content embedded before (queueing adds the commit).
            case "succeeded":
                return search.servingCommit(key, documentID: named.documentID).map { $0 != named.commitID } ?? false
            default: return false
            }
        }.map { IndexSource(documentID: $0.documentID, ref: $0.ref) })
        guard !moved.isEmpty else { return }
        let queued = try await queue.queue(version, index: key.index, tenant: key.tenant,
                                           metadata: EventMetadata(actor: "eventloom:sources"), sources: moved)
        let created = queued.tasks.filter(\.created)
        if !created.isEmpty {
            logger.info("queued tasks for sources whose refs moved", metadata: [
                "tenant": "\(key.tenant)", "index": "\(key.index)", "version": "\(key.version)", "tasks": "\(created.count)",
            ])
        }
    }
}

extension SourceRefReactor {
    /// The reactor of a serving process, with a task queue of its own over the same store.
    static func make(store: EventStore, search: SearchReadModel, configuration: APIConfiguration, logger: Logger) -> SourceRefReactor {
        let database = TenantDatabase(store: store, statementTimeout: configuration.queryTimeout, logger: logger)
        // It reads a document only when a ref moved: a small cache of its own (4 MiB of states).
        let documents = DocumentWrites(store: store, contents: ContentStore(store: store),
                                       cache: StateCache(capacity: 4 << 20, weight: DocumentWrites.approximateBytes), clock: configuration.clock)
        let queue = VersionTaskQueue(tasks: IngestionWrites(store: store, clock: configuration.clock), documents: documents,
                                     database: database, maximumQueuedTasks: configuration.maximumQueuedTasks)
        return SourceRefReactor(search: search, queue: queue, database: database, interval: .seconds(2), logger: logger)
    }
}
