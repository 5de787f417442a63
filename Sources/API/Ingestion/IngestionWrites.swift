import Domain
import EventStore
import Foundation
import PostgresNIO

/// Every ingestion task command of this process: ``CommandHandler`` with a bounded state
/// cache, and the chunks staged beside the log.
struct IngestionWrites: Sendable {
    let store: EventStore
    let cache: StateCache<IngestionTaskState>
    let chunks: ChunkStore
    let contents: ContentStore
    let clock: WallClock

    /// The most task states the cache keeps.
    static let cacheCapacity = 10_000

    init(store: EventStore, clock: WallClock) {
        self.store = store
        self.cache = StateCache(capacity: Self.cacheCapacity)
        self.chunks = ChunkStore(store: store)
        self.contents = ContentStore(store: store, cachedContents: 0)
        self.clock = clock
    }

    /// Decides `command` on task `key` and appends the result (with `alongside` in its transaction).
    /// - Throws: ``Domain/IngestionTaskError`` when the command breaks a rule (nothing written).
    func handle(_ command: IngestionTaskCommand, tenant: String, key: IngestionTaskKey, metadata: EventMetadata,
                alongside: ((PostgresConnection) async throws -> Void)? = nil)
        async throws -> CommandHandler<IngestionTask>.Outcome
    {
        try await CommandHandler(store: store, decider: IngestionTask.self, cache: cache)
            .handle([command], tenant: tenant, stream: IngestionTask.stream(key), metadata: metadata, alongside: alongside)
    }

    /// The task's state from the log (through the cache).
    /// - Throws: ``Domain/IngestionTaskError/unknown`` when nothing was recorded about it.
    func state(tenant: String, key: IngestionTaskKey) async throws -> IngestionTaskState {
        let folded = try await store.state(of: IngestionTask.self, tenant: tenant, stream: IngestionTask.stream(key), cache: cache)
        guard folded.state.isKnown else { throw IngestionTaskError.unknown }
        return folded.state
    }
}
