import Domain
import EventStore
import EventStoreTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// Writes fenced by a lock (`CommandHandler`'s guards with `EventStore.lockFence`): the
/// guarded stream here is another lock's, standing for any aggregate's stream.
@Suite struct LockFenceTests {
    /// A takes the lock and is paused past its TTL; B takes it and writes; A's late write
    /// with its old token is refused and nothing of A's is written.
    @Test func holderPausedPastTTL_isRefusedAfterANewerGrant_andWritesNothing() async throws {
        try await TestDatabase.withStore { store in
            let locks = CommandHandler(store: store, decider: Lock.self)
            let a = try await locks.handle(.acquire(holder: "a", lease: 30, now: t0), tenant: "acme", stream: "lock-doc")
            let b = try await locks.handle(.acquire(holder: "b", lease: 30, now: t0 + 31), tenant: "acme", stream: "lock-doc")
            let tokenA = try #require(a.state.grant?.token), tokenB = try #require(b.state.grant?.token)
            #expect(tokenB > tokenA)

            let target = CommandHandler(store: store, decider: Lock.self)
            _ = try await target.handle([.acquire(holder: "b-write", lease: 5, now: t0 + 32)], tenant: "acme", stream: "lock-target") {
                _ in
            } guards: {
                [try await store.lockFence(tenant: "acme", resource: "doc", token: tokenB, now: t0 + 32)]
            }
            await #expect(throws: LockError.staleToken(presented: tokenA, current: tokenB)) {
                _ = try await target.handle([.acquire(holder: "a-write", lease: 5, now: t0 + 33)], tenant: "acme",
                                            stream: "lock-target-a") { _ in } guards: {
                    [try await store.lockFence(tenant: "acme", resource: "doc", token: tokenA, now: t0 + 33)]
                }
            }
            #expect(try await store.count(tenant: "acme", stream: "lock-target-a") == 0)
            #expect(try await store.count(tenant: "acme", stream: "lock-target") == 1)
        }
    }

    /// The fence checked, then a newer grant lands before the write commits: the guard
    /// fails the append, and the retry finds the token stale.
    @Test func newerGrantBetweenCheckAndCommit_failsTheAppend_andTheRetryIsStale() async throws {
        try await TestDatabase.withStore { store in
            let locks = CommandHandler(store: store, decider: Lock.self)
            let a = try await locks.handle(.acquire(holder: "a", lease: 30, now: t0), tenant: "acme", stream: "lock-doc")
            let tokenA = try #require(a.state.grant?.token)
            let checks = Counter()
            await #expect(throws: LockError.staleToken(presented: tokenA, current: tokenA + 1)) {
                _ = try await CommandHandler(store: store, decider: Lock.self).handle(
                    [.acquire(holder: "a-write", lease: 5, now: t0 + 1)], tenant: "acme", stream: "lock-target") { _ in } guards: {
                    let attempt = checks.next()
                    let fence = try await store.lockFence(tenant: "acme", resource: "doc", token: tokenA, now: t0 + 1)
                    if attempt == 1 {
                        // A pauses here; an admin takes the lock and B gets it.
                        _ = try await locks.handle(.forceRelease(by: "admin", reason: "stuck", now: t0 + 1), tenant: "acme", stream: "lock-doc")
                        _ = try await locks.handle(.acquire(holder: "b", lease: 30, now: t0 + 1), tenant: "acme", stream: "lock-doc")
                    }
                    return [fence]
                }
            }
            #expect(checks.value == 2)
            #expect(try await store.count(tenant: "acme", stream: "lock-target") == 0)
        }
    }

    @Test func fenceOnALockNeverRecorded_isUnknown() async throws {
        try await TestDatabase.withStore { store in
            await #expect(throws: LockError.unknown) {
                _ = try await store.lockFence(tenant: "acme", resource: "nothing", token: 1, now: t0)
            }
        }
    }
}

/// A count that a `Sendable` closure can bump.
final class Counter: Sendable {
    private let count = Locked(0)
    var value: Int { count.value }
    func next() -> Int { count.withLock { $0 += 1; return $0 } }
}
