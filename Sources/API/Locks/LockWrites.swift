import Domain
import EventStore
import Foundation

/// Every lock command of this process: through ``CommandHandler`` (with a bounded state
/// cache), waking this process's waiters of the lock after each write.
struct LockWrites: Sendable {
    let store: EventStore
    let watch: LockWatch
    let cache: StateCache<LockState>
    let clock: WallClock

    /// The most lock states the cache keeps.
    static let cacheCapacity = 10_000

    /// Decides `command` on the lock of `resource` and appends the result.
    /// - Throws: ``Domain/LockError`` when the command breaks a rule (nothing written).
    func handle(_ command: LockCommand, tenant: String, resource: String, metadata: EventMetadata)
        async throws -> CommandHandler<Lock>.Outcome
    {
        let stream = Lock.stream(resource)
        let outcome = try await CommandHandler(store: store, decider: Lock.self, maximumAttempts: 20, cache: cache)
            .handle(command, tenant: tenant, stream: stream, metadata: metadata)
        if outcome.append != nil { watch.wake(tenant: tenant, stream: stream) }
        return outcome
    }

    /// The lock's state from the log (through the cache).
    func state(tenant: String, resource: String) async throws -> FoldedState<LockState> {
        let stream = Lock.stream(resource)
        cache.dropAll(before: store.erasureEpoch)
        let folded = try await store.state(of: Lock.self, tenant: tenant, stream: stream,
                                           from: cache.state(tenant: tenant, stream: stream))
        cache.keep(folded, tenant: tenant, stream: stream)
        return folded
    }
}
