import Domain
import EventStore
import Foundation
import Logging
import ServiceLifecycle

/// The search read model (docs/indexes.md, "Search") of this serving process: the
/// ``SearchModel`` the projection engine keeps folded from the log (saved in `directory`
/// with the log position it covers, loaded and caught up on a restart, rebuilt side by side
/// on request), and the searches it answers, each counted in ``tally``.
public final class SearchReadModel: Service, Sendable {
    let runner: ExternalProjectionRunner<SearchProjection>
    /// What this process's searches did since the figures were last written.
    public let tally = SearchTally()

    /// - Parameters:
    ///   - directory: where it is saved and loaded from; nil: memory only (folded from the
    ///     whole log on start).
    ///   - snapshotInterval: the least time between two saves while events arrive.
    public init(store: EventStore, directory: URL?, snapshotInterval: Duration = .seconds(60), logger: Logger) {
        runner = ExternalProjectionRunner(projection: SearchProjection(store: store, logger: logger), store: store,
                                               directory: directory, snapshotInterval: snapshotInterval, logger: logger)
    }

    public func run() async throws { try await runner.run() }

    /// The model answering now.
    var model: SearchModel { runner.model }
    /// The log position every applied event is at or before.
    public var checkpoint: Cursor { runner.checkpoint }
    /// Where the rebuild under way has read the log to; nil when none runs.
    public var rebuildCursor: Cursor? { runner.rebuilding }
    /// The engine's handle to rebuild it (`POST /v1/projections/search/rebuild`).
    public var rebuilding: any ExternalRebuilding { runner }

    /// Asks for a rebuild side by side (this process's copy). - Returns: false when one is
    /// asked for or running already.
    @discardableResult
    public func requestRebuild() -> Bool { runner.requestRebuild() }

    /// Index `name` of `tenant` as the read model has folded it; nil when it knows none.
    public func index(tenant: String, name: String) -> SearchIndexState? { model.index(tenant: tenant, name: name) }
    public func builtVersions() -> [BuiltVersion] { model.builtVersions() }
    public func rollingOut() -> [RollingOut] { model.rollingOut() }
    public func followedVersions() -> [(key: VersionKey, version: IndexVersion)] { model.followedVersions() }
    /// The commit version `key` searches `documentID` by; nil when it holds no task of it.
    public func servingCommit(_ key: VersionKey, documentID: String) -> String? { model.servingCommit(key, documentID: documentID) }
    public func build(_ key: VersionKey) -> VersionBuild? { model.build(key) }
    /// How many vectors the version's index holds; nil when the read model holds none.
    public func vectorCount(_ key: VersionKey) -> Int? { model.vectorCount(key) }

    /// The `k` nearest chunks of version `key` to `vector` (of the documents in `documents`
    /// when given), nearest first. The search is counted in ``tally`` at `now`: its latency,
    /// or an error when the version is not loaded or the index failed (a vector that does
    /// not fit is the caller's error and is not counted).
    /// - Throws: ``SearchReadModelError`` when the read model holds no such version, or the
    ///   vector does not fit it.
    public func search(_ key: VersionKey, vector: [Float], k: Int, documents: Set<String>? = nil, now: Date) throws -> [ChunkHit] {
        let started = ContinuousClock.now
        guard let index = model.version(key) else {
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
        await runner.wait(for: cursor, timeout: timeout)
    }

    /// Applies a batch of the log as the engine's follower does (tests).
    func apply(_ events: [RecordedEvent]) async throws { try await runner.apply(events) }
    /// Saves and loads as the engine does (tests).
    func save(to directory: URL) async { await runner.save(to: directory) }
    func load(from directory: URL) async { await runner.load(from: directory) }
}

/// Why the search read model could not answer.
public enum SearchReadModelError: Error, Equatable, Sendable {
    /// This process holds no index of the version (never created, retired, or not caught up).
    case versionNotLoaded(VersionKey)
    case dimensionMismatch(expected: Int, got: Int)
}
