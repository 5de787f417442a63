import Domain
import EventStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VectorIndex

/// The search read model (docs/indexes.md, "Search"): per index version of every tenant, a
/// real HNSW index (hnswlib) of the chunks its tasks committed, folded from the log by this
/// process, which answers the searches. With a directory it is saved there with the log
/// position it covers, and a restart loads it and catches up from that position instead of
/// reading the whole log again.
public final class SearchReadModel: Service, Sendable {
    let store: EventStore
    let chunks: ChunkStore
    let directory: URL?
    let snapshotInterval: Duration
    let logger: Logger
    private let state = Mutex(Registry())
    /// Woken after every batch applied: what consistency waiters wait on.
    let applied = Wakeups()
    /// What this process's searches did since the figures were last written.
    public let tally = SearchTally()

    struct Registry {
        var versions: [VersionKey: VersionIndex] = [:]
        /// Each index as its events left it (weights, rollout, versions), by tenant and name:
        /// a search routes by it without reading the log.
        var indexes: [IndexKey: SearchIndexState] = [:]
        /// The events each index state was folded from, as stored: what a save keeps of it.
        var indexEvents: [IndexKey: [SavedIndexEvent]] = [:]
        /// The first document commit of each task not yet succeeded, by tenant and task id.
        var targets: [String: IngestionTarget] = [:]
        /// Each version's tasks and chunks as their events told.
        var builds: [VersionKey: VersionBuild] = [:]
        var checkpoint = Cursor.start
    }

    /// The event types the read model applies: every index event, and the task events
    /// that name a task's first commit and commit its chunks.
    static let eventTypes: Set<String> = SearchIndexEvent.typeNames.union([
        IngestionTaskEvent.Kind.queued.name, IngestionTaskEvent.Kind.succeeded.name, SubjectEvent.Kind.erased.name,
    ])

    /// - Parameters:
    ///   - directory: where it is saved and loaded from; nil: memory only (folded from the
    ///     whole log on start).
    ///   - snapshotInterval: the least time between two saves while events arrive.
    public init(store: EventStore, directory: URL?, snapshotInterval: Duration = .seconds(60), logger: Logger) {
        self.store = store
        self.chunks = ChunkStore(store: store)
        self.directory = directory
        self.snapshotInterval = snapshotInterval
        self.logger = logger
    }

    /// The log position every applied event is at or before.
    public var checkpoint: Cursor { state.withLock { $0.checkpoint } }

    /// Loads the saved read model (if any), then follows the log until graceful shutdown,
    /// saving it every ``snapshotInterval`` while events arrive and once more at the end. A
    /// failure to apply an event (the database unreachable) is retried from that event.
    public func run() async throws {
        if let directory {
            do {
                try load(from: directory)
            } catch {
                logger.warning("the saved search read model could not be loaded; folding it from the whole log",
                               metadata: ["directory": "\(directory.path)", "error": "\(error)"])
            }
        }
        await cancelWhenGracefulShutdown { await self.follow() }
        if let directory { try save(to: directory) }
    }

    /// Applies the log from the checkpoint until cancelled.
    private func follow() async {
        var lastSave = ContinuousClock.now
        var backoff = Backoff()
        while !Task.isCancelled {
            do {
                // Every event, not only those it applies: the checkpoint moves past the others, so a
                // read never scans the same stretch of the log twice.
                var iterator = store.subscribe(after: checkpoint).makeAsyncIterator()
                while let batch = try await iterator.nextBatch() {
                    try await apply(batch)
                    backoff.reset()
                    if let directory, ContinuousClock.now - lastSave >= snapshotInterval {
                        try save(to: directory)
                        lastSave = ContinuousClock.now
                    }
                }
            } catch {
                if Task.isCancelled { return }
                let delay = backoff.next()
                logger.error("the search read model could not apply the log; retrying from its checkpoint",
                             metadata: ["checkpoint": "\(checkpoint)", "error": "\(error)", "retry_in": "\(delay)"])
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// Applies `events` in order (those of ``eventTypes``), moving the checkpoint past each.
    func apply(_ events: [RecordedEvent]) async throws {
        defer { applied.wakeAll() }
        for event in events {
            switch Self.eventTypes.contains(event.type) ? event.category : "" {
            case SearchIndex.category: try apply(index: try event.decode(as: SearchIndexEvent.self), event)
            case IngestionTask.category: try await apply(task: try event.decode(as: IngestionTaskEvent.self), event)
            case DataSubject.category:
                if case .erased(let subject, _, _) = try event.decode(as: SubjectEvent.self) {
                    try await erase(subject: subject, tenant: event.tenant)
                }
            default: break
            }
            state.withLock { $0.checkpoint = event.cursor }
        }
    }

    private func apply(index: SearchIndexEvent, _ event: RecordedEvent) throws {
        let name = String(event.stream.dropFirst(SearchIndex.category.count + 1))
        state.withLock { registry in
            let key = IndexKey(tenant: event.tenant, index: name)
            registry.indexes[key] = SearchIndex.evolve(registry.indexes[key] ?? SearchIndex.initialState, index)
            registry.indexEvents[key, default: []].append(SavedIndexEvent(type: event.type, schemaVersion: event.schemaVersion,
                                                                          data: event.data))
        }
        switch index {
        case .versionCreated(let name, let version, let spec, _, _, _):
            let key = VersionKey(tenant: event.tenant, index: name, version: version)
            let created = try VersionIndex(shape: .init(spec))
            state.withLock { registry in if registry.versions[key] == nil { registry.versions[key] = created } }
        case .versionRetired(let version, _, _):
            let key = VersionKey(tenant: event.tenant, index: name, version: version)
            state.withLock { registry in
                registry.versions.removeValue(forKey: key)
                registry.builds.removeValue(forKey: key)
            }
        default: break
        }
    }

    private func apply(task: IngestionTaskEvent, _ event: RecordedEvent) async throws {
        let taskID = String(event.stream.dropFirst(IngestionTask.category.count + 1))
        let slot = "\(event.tenant)/\(taskID)"
        guard let key = IngestionTaskKey(id: taskID) else { return }
        let version = VersionKey(tenant: event.tenant, index: key.index, version: key.version)
        switch task {
        case .queued(_, let target, _, _, _):
            state.withLock { registry in
                registry.targets[slot] = target
                registry.builds[version, default: VersionBuild()].tasks += 1
            }
        case .succeeded(_, let result, _):
            let (index, target) = state.withLock { registry in
                registry.builds[version, default: VersionBuild()].tasksSucceeded += 1
                registry.builds[version, default: VersionBuild()].chunks += result.chunks
                registry.builds[version, default: VersionBuild()].lastSuccess = event.cursor
                return (registry.versions[version], registry.targets.removeValue(forKey: slot))
            }

            guard let index else {
                logger.warning("a task succeeded for a version the search read model does not hold",
                               metadata: ["tenant": "\(event.tenant)", "task": "\(taskID)"])
                return
            }
            let stored = try await chunks.chunks(tenant: event.tenant, taskID: taskID)
            try index.add(task: .init(id: taskID, documentID: target?.documentID ?? "", commitID: target?.commitID ?? "",
                                      scope: result.scope, committed: result.chunks),
                          chunks: stored)
        default: break
        }
    }

    /// Takes the chunks of `subject`'s private content out of every version of `tenant`:
    /// each version holding some is rebuilt without them and swapped in (docs/indexes.md,
    /// "Erasure"), and its build no longer counts them.
    private func erase(subject: String, tenant: String) async throws {
        let versions = state.withLock { registry in registry.versions.filter { $0.key.tenant == tenant } }
        for (key, index) in versions.sorted(by: { $0.key.version < $1.key.version }) {
            let started = ContinuousClock.now
            guard let (rebuilt, erased) = try await index.erasing(scope: subject, tenant: tenant, store: chunks) else { continue }
            state.withLock { registry in
                guard registry.versions[key] === index else { return }   // retired meanwhile
                registry.versions[key] = rebuilt
                registry.builds[key]?.chunks -= erased
            }
            logger.notice("an erased subject's chunks left an index version, which was rebuilt without them", metadata: [
                "tenant": "\(tenant)", "index": "\(key.index)", "version": "\(key.version)", "chunks": "\(erased)",
                "vectors": "\(rebuilt.count)", "took": "\(ContinuousClock.now - started)",
            ])
        }
    }

    /// Everything a save writes, taken at one moment.
    func registrySnapshot() -> (versions: [(VersionKey, VersionIndex)], indexEvents: [IndexKey: [SavedIndexEvent]],
                                targets: [String: IngestionTarget], builds: [VersionKey: VersionBuild], checkpoint: Cursor) {
        state.withLock { registry in
            (registry.versions.sorted { ($0.key.tenant, $0.key.index, $0.key.version) < ($1.key.tenant, $1.key.index, $1.key.version) }
                .map { ($0.key, $0.value) }, registry.indexEvents, registry.targets, registry.builds, registry.checkpoint)
        }
    }

    /// Replaces the registry with a loaded one.
    func restore(versions: [VersionKey: VersionIndex], indexEvents: [IndexKey: [SavedIndexEvent]], targets: [String: IngestionTarget],
                 builds: [VersionKey: VersionBuild], checkpoint: Cursor) throws {
        var indexes: [IndexKey: SearchIndexState] = [:]
        for (key, events) in indexEvents {
            indexes[key] = SearchIndex.fold(try events.map { try SearchIndexEvent(type: $0.type, schemaVersion: $0.schemaVersion, json: $0.data) })
        }
        state.withLock {
            $0 = Registry(versions: versions, indexes: indexes, indexEvents: indexEvents, targets: targets, builds: builds,
                          checkpoint: checkpoint)
        }
    }

    /// Index `name` of `tenant` as the read model has folded it; nil when it knows none.
    public func index(tenant: String, name: String) -> SearchIndexState? {
        state.withLock { $0.indexes[IndexKey(tenant: tenant, index: name)] }
    }

    /// The versions still building whose tasks all succeeded, with the vectors their
    /// indexes hold: what the readiness gate is asked about.
    public func builtVersions() -> [BuiltVersion] {
        state.withLock { registry in
            registry.builds.compactMap { key, build in
                guard build.tasksDone, let index = registry.versions[key],
                      registry.indexes[IndexKey(tenant: key.tenant, index: key.index)]?.versions[key.version]?.status == .building
                else { return nil }
                return BuiltVersion(key: key, build: build, vectors: index.graph.count)
            }
        }
    }

    /// Every index with a rollout running, as the read model folded it.
    public func rollingOut() -> [(IndexKey, SearchIndexState)] {
        state.withLock { registry in registry.indexes.filter { $0.value.rollout != nil }.map { ($0.key, $0.value) } }
    }

    /// The version's build as the task events told; nil when none was queued.
    public func build(_ key: VersionKey) -> VersionBuild? {
        state.withLock { $0.builds[key] }
    }

    /// The version's index; nil when the read model holds none (unknown, or retired).
    func version(_ key: VersionKey) -> VersionIndex? {
        state.withLock { $0.versions[key] }
    }

    /// How many vectors the version's index holds; nil when the read model holds none.
    public func vectorCount(_ key: VersionKey) -> Int? {
        version(key)?.count
    }

    /// The `k` nearest chunks of version `key` to `vector` (of the documents in `documents`
    /// when given), nearest first. The search is counted in ``tally`` at `now`: its latency,
    /// or an error when the version is not loaded or the index failed (a vector that does
    /// not fit is the caller's error and is not counted).
    /// - Throws: ``SearchReadModelError`` when the read model holds no such version, or the
    ///   vector does not fit it.
    public func search(_ key: VersionKey, vector: [Float], k: Int, documents: Set<String>? = nil, now: Date) throws -> [ChunkHit] {
        let started = ContinuousClock.now
        guard let index = version(key) else {
            tally.record(key, at: now, seconds: 0, failed: true)
            throw SearchReadModelError.versionNotLoaded(key)
        }
        guard vector.count == index.shape.dimension else {
            throw SearchReadModelError.dimensionMismatch(expected: index.shape.dimension, got: vector.count)
        }
        let keep = documents.map { documents in { (hit: ChunkHit) in documents.contains(hit.documentID) } }
        do {
            let hits = try index.search(vector, k: k, keep: keep)
            let elapsed = ContinuousClock.now - started
            tally.record(key, at: now, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                         failed: false)
            return hits
        } catch {
            tally.record(key, at: now, seconds: 0, failed: true)
            throw error
        }
    }

    /// Returns once the read model has applied the log up to `cursor`, or after `timeout`.
    /// - Returns: whether it has.
    public func wait(for cursor: Cursor, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var seen = applied.generation
        while checkpoint < cursor {
            let left = deadline - ContinuousClock.now
            if left <= .zero || Task.isCancelled { return false }
            seen = await applied.wait(after: seen, timeout: left)
        }
        return true
    }
}

/// An index event as stored, kept to fold the index's state again after a load.
struct SavedIndexEvent: Codable, Sendable {
    let type: String
    let schemaVersion: Int
    let data: String
}

/// Why the search read model could not answer.
public enum SearchReadModelError: Error, Equatable, Sendable {
    /// This process holds no index of the version (never created, retired, or not caught up).
    case versionNotLoaded(VersionKey)
    case dimensionMismatch(expected: Int, got: Int)
}
