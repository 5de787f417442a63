import Domain
import EventStore
import Foundation

/// Every index command of this process: ``CommandHandler`` with a bounded state cache.
struct IndexWrites: Sendable {
    let store: EventStore
    let cache: StateCache<SearchIndexState>
    let clock: WallClock

    /// The most index states the cache keeps.
    static let cacheCapacity = 1_000

    init(store: EventStore, clock: WallClock) {
        self.store = store
        self.cache = StateCache(capacity: Self.cacheCapacity)
        self.clock = clock
    }

    /// Decides `command` on index `name` and appends the result.
    /// - Throws: ``Domain/SearchIndexError`` when the command breaks a rule (nothing written).
    func handle(_ command: SearchIndexCommand, tenant: String, name: String, metadata: EventMetadata)
        async throws -> CommandHandler<SearchIndex>.Outcome
    {
        try await CommandHandler(store: store, decider: SearchIndex.self, cache: cache)
            .handle(command, tenant: tenant, stream: SearchIndex.stream(name), metadata: metadata)
    }

    /// The index's state from the log (through the cache).
    /// - Throws: ``Domain/SearchIndexError/unknownIndex`` when nothing was recorded about it.
    func state(tenant: String, name: String) async throws -> FoldedState<SearchIndexState> {
        let folded = try await store.state(of: SearchIndex.self, tenant: tenant, stream: SearchIndex.stream(name), cache: cache)
        guard folded.state.isKnown else { throw SearchIndexError.unknownIndex }
        return folded
    }
}
