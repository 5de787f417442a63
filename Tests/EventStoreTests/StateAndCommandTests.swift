import Domain
import EventStore
import EventStoreTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

@Suite struct CommandHandlerTests {
    @Test func handle_loadsDecidesAndAppends() async throws {
        try await TestDatabase.withStore { store in
            let locks = CommandHandler(store: store, decider: Lock.self)
            let outcome = try await locks.handle(.acquire(holder: "ci-1", lease: 30, now: t0), tenant: "acme", stream: "lock-deploy")
            #expect(outcome.events == [.acquired(.of("ci-1", token: 1, at: t0, until: t0 + 30))])
            #expect(outcome.version == 1)
            #expect(outcome.state.grant == .of("ci-1", token: 1, at: t0, until: t0 + 30))
            let stored = try await store.readStream(tenant: "acme", stream: "lock-deploy")
            #expect(try stored.map { try $0.decode(as: LockEvent.self) } == outcome.events)
        }
    }

    @Test func handle_commandBreakingARule_throwsDomainErrorAndWritesNothing() async throws {
        try await TestDatabase.withStore { store in
            let locks = CommandHandler(store: store, decider: Lock.self)
            try await locks.handle(.acquire(holder: "ci-1", lease: 30, now: t0), tenant: "acme", stream: "lock-deploy")
            await #expect(throws: LockError.held(owner: "ci-1", token: 1, until: t0 + 30)) {
                try await locks.handle(.acquire(holder: "ci-2", lease: 30, now: t0 + 1), tenant: "acme", stream: "lock-deploy")
            }
            #expect(try await store.count(tenant: "acme") == 1)
        }
    }

    @Test func handle_commandChangingNothing_appendsNothing() async throws {
        try await TestDatabase.withStore { store in
            let outcome = try await CommandHandler(store: store, decider: Lock.self)
                .handle(.expire(now: t0), tenant: "acme", stream: "lock-deploy")
            #expect(outcome.events.isEmpty)
            #expect(outcome.append == nil)
            #expect(try await store.count(tenant: "acme") == 0)
        }
    }

    @Test func handle_concurrentAcquires_grantTheLockToExactlyOne() async throws {
        try await TestDatabase.withStore(maximumConnections: 12) { store in
            let locks = CommandHandler(store: store, decider: Lock.self, maximumAttempts: 20)
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for holder in 0..<8 {
                    group.addTask {
                        do {
                            try await locks.handle(.acquire(holder: "h\(holder)", lease: 60, now: t0),
                                                   tenant: "acme", stream: "lock-race")
                            return true
                        } catch is LockError {
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
            #expect(try await store.count(tenant: "acme", stream: "lock-race") == 1)
        }
    }
}

@Suite struct StateAsOfTests {
    @Test func state_asOfVersionAndTime_foldsOnlyThatFarIn() async throws {
        try await TestDatabase.withStore { store in
            let locks = CommandHandler(store: store, decider: Lock.self)
            let beforeAnyEvent = Date()
            try await Task.sleep(for: .milliseconds(5))
            try await locks.handle(.acquire(holder: "a", lease: 60, now: t0), tenant: "acme", stream: "lock-x")
            try await locks.handle(.release(holder: "a", now: t0 + 1), tenant: "acme", stream: "lock-x")
            let afterRelease = try await store.readStream(tenant: "acme", stream: "lock-x", from: 2, limit: 1)[0].recordedAt
            try await Task.sleep(for: .milliseconds(20))
            try await locks.handle(.acquire(holder: "b", lease: 60, now: t0 + 2), tenant: "acme", stream: "lock-x")

            let v1 = try await store.state(of: Lock.self, tenant: "acme", stream: "lock-x", asOf: .version(1))
            #expect(v1.state.grant == .of("a", token: 1, at: t0, until: t0 + 60))
            #expect(v1.version == 1)
            let atRelease = try await store.state(of: Lock.self, tenant: "acme", stream: "lock-x", asOf: .time(afterRelease))
            #expect(atRelease.state.grant == nil && atRelease.state.lastToken == 1)
            #expect(atRelease.version == 2)
            let latest = try await store.state(of: Lock.self, tenant: "acme", stream: "lock-x")
            #expect(latest.state.grant == .of("b", token: 2, at: t0 + 2, until: t0 + 62))
            #expect(latest.version == 3)
            let before = try await store.state(of: Lock.self, tenant: "acme", stream: "lock-x", asOf: .time(beforeAnyEvent))
            #expect(before.version == 0)
            #expect(before.state == Lock.initialState)
        }
    }
}
