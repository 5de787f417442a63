import Domain
import EventStore
import EventStoreTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

@Suite struct StateCacheTests {
    @Test func keep_neverGoesBackAVersion_andForgetDrops() {
        let cache = StateCache<Int>(capacity: 10)
        cache.keep(FoldedState(state: 5, version: 5), tenant: "t", stream: "s")
        cache.keep(FoldedState(state: 3, version: 3), tenant: "t", stream: "s")
        #expect(cache.state(tenant: "t", stream: "s")?.version == 5)
        #expect(cache.state(tenant: "u", stream: "s") == nil)
        cache.forget(tenant: "t", stream: "s")
        #expect(cache.state(tenant: "t", stream: "s") == nil)
        #expect(cache.size.weight == 0)
    }

    @Test func weight_boundsIt_oldestLeaveFirst() {
        let cache = StateCache<Int>(capacity: 10) { $0 }
        for stream in 0..<5 { cache.keep(FoldedState(state: 3, version: 1), tenant: "t", stream: "s\(stream)") }
        #expect(cache.size.states == 3)
        #expect(cache.size.weight == 9)
        #expect(cache.state(tenant: "t", stream: "s0") == nil)
        #expect(cache.state(tenant: "t", stream: "s4") != nil)
        cache.keep(FoldedState(state: 11, version: 1), tenant: "t", stream: "huge")
        #expect(cache.state(tenant: "t", stream: "huge") == nil)
    }

    @Test func theLeastRecentlyUsed_leavesFirst_andAForgottenStreamCanComeBack() {
        let cache = StateCache<Int>(capacity: 9) { $0 }
        for stream in 0..<3 { cache.keep(FoldedState(state: 3, version: 1), tenant: "t", stream: "s\(stream)") }
        _ = cache.state(tenant: "t", stream: "s0")
        cache.keep(FoldedState(state: 3, version: 1), tenant: "t", stream: "s3")
        #expect(cache.state(tenant: "t", stream: "s1") == nil, "s1 was used least recently")
        #expect(cache.state(tenant: "t", stream: "s0") != nil)
        cache.forget(tenant: "t", stream: "s0")
        cache.keep(FoldedState(state: 2, version: 4), tenant: "t", stream: "s0")
        cache.keep(FoldedState(state: 4, version: 2), tenant: "t", stream: "s2")
        #expect(cache.size.weight == 9)
        #expect(cache.state(tenant: "t", stream: "s0")?.version == 4)
        // Many uses of one key leave its stale places behind; they never evict it.
        for _ in 0..<10_000 { _ = cache.state(tenant: "t", stream: "s0") }
        cache.keep(FoldedState(state: 3, version: 1), tenant: "t", stream: "s5")
        #expect(cache.state(tenant: "t", stream: "s0") != nil)
        #expect(cache.size.weight <= 9)
    }

    @Test func handler_withACache_foldsInWhatAnotherWriterAppended() async throws {
        try await TestDatabase.withStore { store in
            let cache = StateCache<LockState>(capacity: 100)
            let cached = CommandHandler(store: store, decider: Lock.self, cache: cache)
            let other = CommandHandler(store: store, decider: Lock.self)
            try await cached.handle(.acquire(holder: "a", lease: 60, now: t0), tenant: "acme", stream: "lock-c")
            try await cached.handle(.release(holder: "a", now: t0 + 1), tenant: "acme", stream: "lock-c")
            #expect(cache.state(tenant: "acme", stream: "lock-c")?.version == 1)
            // Another process takes the lock; the cached handler must see it, not its cached state.
            try await other.handle(.acquire(holder: "b", lease: 60, now: t0 + 2), tenant: "acme", stream: "lock-c")
            await #expect(throws: LockError.held(owner: "b", token: 2, until: t0 + 62)) {
                try await cached.handle(.acquire(holder: "c", lease: 60, now: t0 + 3), tenant: "acme", stream: "lock-c")
            }
            #expect(cache.state(tenant: "acme", stream: "lock-c")?.version == 3)
            #expect(cache.state(tenant: "acme", stream: "lock-c")?.state.grant == .of("b", token: 2, at: t0 + 2, until: t0 + 62))
        }
    }
}
