import Domain
import EventStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VectorIndex

/// What the search read model holds (docs/indexes.md, "Search"): per index version of
/// every tenant, a real HNSW index (hnswlib) of the chunks its tasks committed, each index's
/// state (to route searches by), and each version's build. Folded from the log by the
/// projection engine (``ExternalProjectionRunner``, which keeps its checkpoint and swaps in
/// a rebuilt one); ``SearchReadModel`` answers the searches from it.
public final class SearchModel: ExternalReadModel {
    let store: EventStore
    let chunks: ChunkStore
    let logger: Logger
    private let state = Mutex(Registry())

    struct Registry {
        var versions: [VersionKey: VersionIndex] = [:]
        /// Each index as its events left it (weights, rollout, versions), by tenant and name:
        /// a search routes by it without reading the log.
        var indexes: [IndexKey: SearchIndexState] = [:]
        /// The events each index state was folded from, as stored: what a save keeps of it.
        var indexEvents: [IndexKey: [SavedIndexEvent]] = [:]
        /// The first document commit of each task not yet succeeded, and where it was
        /// queued, by tenant and task id.
        var targets: [String: QueuedTarget] = [:]
        /// Each version's tasks and chunks as their events told.
        var builds: [VersionKey: VersionBuild] = [:]
        /// The erased data subjects, as "<tenant>/<subject>": a task of such a scope whose
        /// success comes after the erasure in the log (it committed while the erasure waited
        /// for it) is applied with no chunk, as the erasure left it.
        var erasedScopes: Set<String> = []
        /// An erasure rebuilt a version: the saved files still hold its vectors until the next save.
        var saveSoon = false
    }

    /// The event types the read model applies: every index event, the task events that
    /// name a task's commits and commit its chunks, and erasures.
    static let eventTypes: Set<String> = SearchIndexEvent.typeNames.union([
        IngestionTaskEvent.Kind.queued.name, IngestionTaskEvent.Kind.targetAdded.name, IngestionTaskEvent.Kind.succeeded.name,
        SubjectEvent.Kind.erased.name,
    ])

    init(store: EventStore, logger: Logger) {
        self.store = store
        self.chunks = ChunkStore(store: store)
        self.logger = logger
    }

    public func takeSaveDue() -> Bool {
        state.withLock { registry in
            defer { registry.saveSoon = false }
            return registry.saveSoon
        }
    }

    /// Applies `events` in order (those of ``eventTypes``).
    public func apply(_ events: [RecordedEvent]) async throws {
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
        }
    }

    /// Everything that can fail comes before the registry changes, so an event that fails
    /// is applied again from scratch (the engine retries it).
    private func apply(index: SearchIndexEvent, _ event: RecordedEvent) throws {
        let name = String(event.stream.dropFirst(SearchIndex.category.count + 1))
        let created: (VersionKey, VersionIndex)? = switch index {
        case .versionCreated(let name, let version, let spec, _, _, _):
            (VersionKey(tenant: event.tenant, index: name, version: version), try VersionIndex(shape: .init(spec)))
        default: nil
        }
        state.withLock { registry in
            let key = IndexKey(tenant: event.tenant, index: name)
            registry.indexes[key] = SearchIndex.evolve(registry.indexes[key] ?? SearchIndex.initialState, index)
            registry.indexEvents[key, default: []].append(SavedIndexEvent(type: event.type, schemaVersion: event.schemaVersion,
                                                                          data: event.data))
            if let (version, graph) = created, registry.versions[version] == nil { registry.versions[version] = graph }
            if case .versionRetired(let version, _, _) = index {
                let retired = VersionKey(tenant: event.tenant, index: name, version: version)
                registry.versions.removeValue(forKey: retired)
                registry.builds.removeValue(forKey: retired)
            }
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
                registry.targets[slot] = QueuedTarget(target: target, queued: event.cursor)
                registry.builds[version, default: VersionBuild()].tasks += 1
            }
        case .targetAdded(let target, _):
            // Its document's ref moved back to this content: the task is its document's again.
            let succeeded = state.withLock { registry -> VersionIndex? in
                guard let queued = registry.targets[slot] else { return registry.versions[version] }
                if queued.target.documentID == target.documentID {
                    registry.targets[slot] = QueuedTarget(target: target, queued: event.cursor)
                }
                return nil
            }
            succeeded?.repoint(taskID: taskID, documentID: target.documentID, commitID: target.commitID,
                               queued: event.cursor.description)
        case .succeeded(_, let result, _):
            // The chunks are read and added first: a failure leaves the registry as it was.
            let (index, target, erased) = state.withLock {
                ($0.versions[version], $0.targets[slot], !result.scope.isEmpty && $0.erasedScopes.contains("\(event.tenant)/\(result.scope)"))
            }
            let committed = erased ? 0 : result.chunks
            if let index {
                let stored = erased ? [] : try await chunks.chunks(tenant: event.tenant, taskID: taskID)
                let task = VersionIndex.TaskRef(id: taskID, documentID: target?.target.documentID ?? "", commitID: target?.target.commitID ?? "",
                                                scope: result.scope, committed: committed, queued: target?.queued.description ?? "")
                try await index.addAside(task: task, chunks: stored)
            } else {
                logger.warning("a task succeeded for a version the search read model does not hold",
                               metadata: ["tenant": "\(event.tenant)", "task": "\(taskID)"])
            }
            state.withLock { registry in
                registry.targets.removeValue(forKey: slot)
                registry.builds[version, default: VersionBuild()].tasksSucceeded += 1
                registry.builds[version, default: VersionBuild()].chunks += committed
                registry.builds[version, default: VersionBuild()].lastSuccess = event.cursor
            }
        default: break
        }
    }

    /// Takes the chunks of `subject`'s private content out of every version of `tenant`:
    /// each version holding some is rebuilt without them and swapped in (docs/indexes.md,
    /// "Erasure"), and its build no longer counts them.
    private func erase(subject: String, tenant: String) async throws {
        let versions = state.withLock { registry in registry.versions.filter { $0.key.tenant == tenant } }
        defer { _ = state.withLock { $0.erasedScopes.insert("\(tenant)/\(subject)") } }
        for (key, index) in versions.sorted(by: { $0.key.version < $1.key.version }) {
            let started = ContinuousClock.now
            guard let (rebuilt, erased) = try await index.erasing(scope: subject, tenant: tenant, store: chunks) else { continue }
            state.withLock { registry in
                guard registry.versions[key] === index else { return }   // retired meanwhile
                registry.versions[key] = rebuilt
                registry.builds[key]?.chunks -= erased
                registry.saveSoon = true
            }
            logger.notice("an erased subject's chunks left an index version, which was rebuilt without them", metadata: [
                "tenant": "\(tenant)", "index": "\(key.index)", "version": "\(key.version)", "chunks": "\(erased)",
                "vectors": "\(rebuilt.count)", "took": "\(ContinuousClock.now - started)",
            ])
        }
    }

    /// Everything a save writes, taken at one moment.
    func registrySnapshot() -> (versions: [(VersionKey, VersionIndex)], indexEvents: [IndexKey: [SavedIndexEvent]],
                                targets: [String: QueuedTarget], builds: [VersionKey: VersionBuild], erasedScopes: Set<String>) {
        state.withLock { registry in
            (registry.versions.sorted { ($0.key.tenant, $0.key.index, $0.key.version) < ($1.key.tenant, $1.key.index, $1.key.version) }
                .map { ($0.key, $0.value) }, registry.indexEvents, registry.targets, registry.builds, registry.erasedScopes)
        }
    }

    /// Replaces the registry with a loaded one.
    func restore(versions: [VersionKey: VersionIndex], indexEvents: [IndexKey: [SavedIndexEvent]], targets: [String: QueuedTarget],
                 builds: [VersionKey: VersionBuild], erasedScopes: Set<String>) throws {
        var indexes: [IndexKey: SearchIndexState] = [:]
        for (key, events) in indexEvents {
            indexes[key] = SearchIndex.fold(try events.map { try SearchIndexEvent(type: $0.type, schemaVersion: $0.schemaVersion, json: $0.data) })
        }
        state.withLock {
            $0 = Registry(versions: versions, indexes: indexes, indexEvents: indexEvents, targets: targets, builds: builds,
                          erasedScopes: erasedScopes)
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
    public func rollingOut() -> [RollingOut] {
        state.withLock { registry in
            registry.indexes.filter { $0.value.rollout != nil }.map { key, index in
                RollingOut(key: key, state: index, streamVersion: Int64(registry.indexEvents[key]?.count ?? 0))
            }
        }
    }

    /// Every version still building or ready, with the version as the read model folded it:
    /// the versions whose sources' refs are followed.
    public func followedVersions() -> [(key: VersionKey, version: IndexVersion)] {
        state.withLock { registry in
            registry.indexes.flatMap { key, index in
                index.versions.values.filter { $0.status == .building || $0.status == .ready }.map {
                    (key: VersionKey(tenant: key.tenant, index: key.index, version: $0.number), version: $0)
                }
            }
        }
    }

    /// The version's build as the task events told; nil when none was queued.
    public func build(_ key: VersionKey) -> VersionBuild? {
        state.withLock { $0.builds[key] }
    }

    /// The version's index; nil when the read model holds none (unknown, or retired).
    func version(_ key: VersionKey) -> VersionIndex? {
        state.withLock { $0.versions[key] }
    }

    /// The commit version `key` searches `documentID` by; nil when it holds no task of it.
    public func servingCommit(_ key: VersionKey, documentID: String) -> String? {
        version(key)?.servingCommit(of: documentID)
    }

    /// How many vectors the version's index holds; nil when the read model holds none.
    public func vectorCount(_ key: VersionKey) -> Int? {
        version(key)?.count
    }

}

/// An index with a rollout running, as the read model folded it: its state and the version
/// of its stream that state is at (every one of its events is folded, one per version).
public struct RollingOut: Sendable {
    public let key: IndexKey
    public let state: SearchIndexState
    public let streamVersion: Int64
}

/// A task's first document commit, and where in the log it was queued.
struct QueuedTarget: Sendable {
    let target: IngestionTarget
    let queued: Cursor
}

/// An index event as stored, kept to fold the index's state again after a load.
struct SavedIndexEvent: Codable, Sendable {
    let type: String
    let schemaVersion: Int
    let data: String
}
