import Domain
import EventStore
import Foundation

/// Every lock command of this process: through ``CommandBatcher`` (``CommandHandler``'s
/// batching form, with a bounded state cache), waking this process's waiters of the lock
/// after each write.
struct LockWrites: Sendable {
    let store: EventStore
    let watch: LockWatch
    let cache: StateCache<LockState>
    let clock: WallClock
    /// Every lock command of this process goes through it: a hot lock's queue appends and
    /// releases share appends instead of racing for the stream's version.
    let batcher: CommandBatcher<Lock>

    init(store: EventStore, watch: LockWatch, cache: StateCache<LockState>, clock: WallClock) {
        self.store = store
        self.watch = watch
        self.cache = cache
        self.clock = clock
        self.batcher = CommandBatcher(store: store, cache: cache)
    }

    /// The most lock states the cache keeps.
    static let cacheCapacity = 10_000

    /// Decides `command` on the lock of `resource` and appends the result.
    /// - Throws: ``Domain/LockError`` when the command breaks a rule (nothing written).
    func handle(_ command: LockCommand, tenant: String, resource: String, metadata: EventMetadata)
        async throws -> CommandHandler<Lock>.Outcome
    {
        let stream = Lock.stream(resource)
        let outcome = try await batcher.handle(command, tenant: tenant, stream: stream, metadata: metadata)
        if let append = outcome.append {
            watch.wrote(FoldedState(state: outcome.state, version: outcome.version), tenant: tenant, stream: stream,
                        position: append.lastCursor)
        }
        return outcome
    }

    /// The lock's state as a waiter sees it: as this process last wrote it, or read from
    /// the log when another process wrote since.
    func watchedState(tenant: String, resource: String) async throws -> LockWatch.Written {
        if let written = watch.latest(tenant: tenant, stream: Lock.stream(resource)) { return written }
        return LockWatch.Written(folded: try await state(tenant: tenant, resource: resource), position: nil)
    }

    /// The lock's state from the log (through the cache).
    func state(tenant: String, resource: String) async throws -> FoldedState<LockState> {
        try await store.state(of: Lock.self, tenant: tenant, stream: Lock.stream(resource), cache: cache)
    }
}
