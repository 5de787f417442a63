@testable import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import Quotas
import HummingbirdTesting
import Testing

@Suite("Locks over HTTP") struct LocksAPITests {
    static func acquire(_ api: APITest, _ resource: String, key: String, owner: String, ttlMs: Int = 30_000,
                        extra: String = "") async throws -> TestResponse {
        try await api.send(.post, "/v1/locks/\(resource)/acquire", key: key,
                           body: #"{"owner":"\#(owner)","ttl_ms":\#(ttlMs)\#(extra)}"#)
    }

    @Test func acquire_grantsTokens_reentrantByOwnerToken_423ForOthers_releaseByOwnerOnly() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            let first = try await Self.acquire(api, "document:handbook", key: key, owner: "alice")
            #expect(first.status == .ok && first.headers[.eTag] == "\"1\"" && first.headers[.eventloomPosition] != nil)
            let grant = try json(first)
            #expect(grant["fencing_token"] as? Int == 1 && grant["owner"] as? String == "alice" && grant["reentrant"] as? Bool == false)
            let ownerToken = try #require(grant["owner_token"] as? String)

            let again = try json(try await Self.acquire(api, "document:handbook", key: key, owner: "alice", ttlMs: 60_000,
                                                        extra: #","owner_token":"\#(ownerToken)""#))
            #expect(again["fencing_token"] as? Int == 1 && again["reentrant"] as? Bool == true)

            let other = try await Self.acquire(api, "document:handbook", key: key, owner: "bob")
            try expectProblem(other, .init(code: 423))
            let problem = try json(other)
            #expect(problem["holder"] as? String == "alice" && problem["fencing_token"] as? Int == 1)
            #expect(problem["expires_at"] as? String == again["expires_at"] as? String)
            #expect(Int(other.headers[.retryAfter] ?? "") ?? 0 >= 59)
            // The same owner without its owner token is another contender.
            try expectProblem(try await Self.acquire(api, "document:handbook", key: key, owner: "alice"), .init(code: 423))

            let stranger = try await api.send(.post, "/v1/locks/document:handbook/release", key: key,
                                              body: #"{"owner_token":"lot_not-the-holders-token"}"#)
            try expectProblem(stranger, .conflict)
            #expect(try json(stranger)["type"] as? String == APIError.typeBase + "lock-not-holder")
            let released = try await api.send(.post, "/v1/locks/document:handbook/release", key: key,
                                              body: #"{"owner_token":"\#(ownerToken)"}"#)
            #expect(try released.status == .ok && json(released)["fencing_token"] as? Int == 1)
            let next = try json(try await Self.acquire(api, "document:handbook", key: key, owner: "bob"))
            #expect(next["fencing_token"] as? Int == 2)
            #expect(try await api.store.count(tenant: "acme", stream: "lock-document:handbook") == 4)
        }
    }

    @Test func acquireAfterTTL_succeedsWithoutAnyReactor_recordingExpiryAndGrantTogether() async throws {
        let time = ManualClock()
        try await APITest.run(configure: { $0.clock = time.clock }) { api in
            let key = try await api.issueKey(tenant: "acme")
            let first = try json(try await Self.acquire(api, "deploy", key: key, owner: "ci-1", ttlMs: 500))
            try expectProblem(try await Self.acquire(api, "deploy", key: key, owner: "ci-2"), .init(code: 423))
            time.advance(by: 0.5)
            let second = try await Self.acquire(api, "deploy", key: key, owner: "ci-2")
            #expect(second.status == .ok)
            #expect(try json(second)["fencing_token"] as? Int == (first["fencing_token"] as? Int ?? 0) + 1)
            let events = try await api.store.readStream(tenant: "acme", stream: "lock-deploy")
            #expect(events.map(\.type) == ["LockAcquired", "LockExpired", "LockAcquired"])
        }
    }

    @Test func renew_extendsTheGrant_butNotAfterItRanOut() async throws {
        let time = ManualClock()
        try await APITest.run(configure: { $0.clock = time.clock }) { api in
            let key = try await api.issueKey(tenant: "acme")
            let grant = try json(try await Self.acquire(api, "job", key: key, owner: "w", ttlMs: 1_000))
            let token = try #require(grant["owner_token"] as? String)
            time.advance(by: 0.9)
            let renewed = try await api.send(.post, "/v1/locks/job/renew", key: key, body: #"{"owner_token":"\#(token)","ttl_ms":1000}"#)
            #expect(try renewed.status == .ok && json(renewed)["fencing_token"] as? Int == 1)
            time.advance(by: 0.9)
            try expectProblem(try await Self.acquire(api, "job", key: key, owner: "x"), .init(code: 423))
            time.advance(by: 0.2)
            try expectProblem(try await api.send(.post, "/v1/locks/job/renew", key: key,
                                                 body: #"{"owner_token":"\#(token)","ttl_ms":1000}"#), .conflict)
            try expectProblem(try await api.send(.post, "/v1/locks/never-used/renew", key: key,
                                                 body: #"{"owner_token":"\#(token)","ttl_ms":1000}"#), .notFound)
        }
    }

    @Test func forceRelease_needsAdmin_keepsTheReason_andHandsTheLockOn() async throws {
        try await APITest.run { api in
            let admin = try await api.issueKey(tenant: "acme")
            let operatorKey = try await api.issueKey(tenant: "acme", roles: ["operator"])
            _ = try await Self.acquire(api, "stuck", key: operatorKey, owner: "ci-1")
            let body = #"{"reason":"deploy stuck since 3am (INC-42)"}"#
            try expectProblem(try await api.send(.post, "/v1/locks/stuck/force-release", key: operatorKey, body: body), .forbidden)
            let forced = try await api.send(.post, "/v1/locks/stuck/force-release", key: admin, body: body)
            #expect(forced.status == .ok)
            try expectProblem(try await api.send(.post, "/v1/locks/stuck/force-release", key: admin, body: body), .conflict)
            let events = try await api.store.readStream(tenant: "acme", stream: "lock-stuck")
            #expect(events.last?.type == "LockForceReleased" && events.last?.data.contains("INC-42") == true)
            #expect(try await Self.acquire(api, "stuck", key: operatorKey, owner: "ci-2").status == .ok)
        }
    }

    @Test func badInput_is400_andWritesNothing() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            let cases: [(String, String)] = [
                ("/v1/locks/a/acquire", #"{"ttl_ms":0}"#),
                ("/v1/locks/a/acquire", #"{"ttl_ms":86400001}"#),
                ("/v1/locks/a/acquire", #"{"ttl_ms":1000,"wait_ms":30001}"#),
                ("/v1/locks/a/acquire", #"{"ttl_ms":1000,"owner_token":"short"}"#),
                ("/v1/locks/a/acquire", #"{"ttl_ms":1000,"owner":" "}"#),
                ("/v1/locks/a/acquire", #"{"owner":"x"}"#),
                ("/v1/locks/a%20b/acquire", #"{"ttl_ms":1000}"#),
                ("/v1/locks/\(String(repeating: "r", count: 191))/acquire", #"{"ttl_ms":1000}"#),
                ("/v1/locks/a/force-release", #"{"reason":""}"#),
            ]
            for (path, body) in cases {
                try expectProblem(try await api.send(.post, path, key: key, body: body), .badRequest)
            }
            #expect(try await api.store.count(tenant: "acme", stream: "lock-a") == 0)
        }
    }

    @Test func anotherTenantsLock_is404_andItsNameIsFreeForThisTenant() async throws {
        try await APITest.run(locks: true) { api in
            let acme = try await api.issueKey(tenant: "acme")
            let globex = try await api.issueKey(tenant: "globex")
            let grant = try json(try await Self.acquire(api, "shared-name", key: acme, owner: "alice"))
            let token = try #require(grant["owner_token"] as? String)
            let position = try #require(grant["position"] as? String)
            #expect(try await api.get("/v1/locks/shared-name?consistent_with=\(position)", key: acme).status == .ok)
            try expectProblem(try await api.get("/v1/locks/shared-name?consistent_with=\(position)", key: globex), .notFound)
            try expectProblem(try await api.send(.post, "/v1/locks/shared-name/release", key: globex,
                                                 body: #"{"owner_token":"\#(token)"}"#), .notFound)
            try expectProblem(try await api.send(.post, "/v1/locks/shared-name/force-release", key: globex,
                                                 body: #"{"reason":"x"}"#), .notFound)
            let list = try json(try await api.get("/v1/locks?consistent_with=\(position)", key: globex))
            #expect((list["locks"] as? [Any])?.isEmpty == true)
            let theirs = try json(try await Self.acquire(api, "shared-name", key: globex, owner: "mallory"))
            #expect(theirs["fencing_token"] as? Int == 1)
            #expect(try await api.store.count(tenant: "acme", stream: "lock-shared-name") == 1)
        }
    }

    @Test func readModel_showsHolderTokenAndWaitersInOrder_listFilters_andETag() async throws {
        try await APITest.run(locks: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            let port = try #require(api.client.port)
            let held = try json(try await Self.acquire(api, "doc:a", key: key, owner: "alice"))
            _ = try await Self.acquire(api, "doc:b", key: key, owner: "bob")
            let token = try #require(held["owner_token"] as? String)
            try await withThrowingTaskGroup(of: ChildHTTP.Reply.self) { group in
                for (waiter, wait) in [("w1", 20_000), ("w2", 3_000)] {
                    group.addTask {
                        try await ChildHTTP.send(port, key: key, "POST", "/v1/locks/doc:a/acquire",
                                                 #"{"owner":"\#(waiter)","ttl_ms":30000,"wait_ms":\#(wait)}"#, timeout: .seconds(30))
                    }
                    try await waitUntil(timeout: .seconds(10), "\(waiter) queued") {
                        try await api.store.state(of: Lock.self, tenant: "acme", stream: "lock-doc:a").state.waiters.last?.owner == waiter
                    }
                }
                let head = try await api.store.committedHead()
                let lock = try await api.get("/v1/locks/doc:a?consistent_with=\(head)", key: key)
                let view = try json(lock)
                #expect(view["state"] as? String == "held" && view["holder"] as? String == "alice" && view["fencing_token"] as? Int == 1)
                #expect((view["waiters"] as? [[String: Any]])?.compactMap { $0["owner"] as? String } == ["w1", "w2"])
                let etag = try #require(lock.headers[.eTag])
                #expect(try await api.get("/v1/locks/doc:a", key: key, headers: [.ifNoneMatch: etag]).status == .notModified)

                let byHolder = try json(try await api.get("/v1/locks?holder=bob", key: key))
                #expect((byHolder["locks"] as? [[String: Any]])?.compactMap { $0["resource"] as? String } == ["doc:b"])
                let page = try json(try await api.get("/v1/locks?prefix=doc:&limit=1", key: key))
                #expect((page["locks"] as? [[String: Any]])?.first?["resource"] as? String == "doc:a" && page["next"] as? String == "doc:a")

                _ = try await api.send(.post, "/v1/locks/doc:a/release", key: key, body: #"{"owner_token":"\#(token)"}"#)
                let first = try #require(try await group.next())
                #expect(first.status == 200 && first.body.contains(#""owner":"w1""#) && first.body.contains(#""fencing_token":2"#))
                let second = try #require(try await group.next())
                #expect(second.status == 423, "w2 waits behind w1, who holds the lock for 30 s: \(second.body)")
            }
        }
    }

    /// The reactor records `LockExpired` once the grant runs out (not before) and hands
    /// the lock to the first waiter in the same write; the read model shows it.
    @Test func expiryReactor_recordsTheExpiryOnTime_andHandsTheLockToTheFirstWaiter() async throws {
        let time = ManualClock()
        try await APITest.run(locks: true, configure: { $0.clock = time.clock }) { api in
            let key = try await api.issueKey(tenant: "acme")
            let grant = try json(try await Self.acquire(api, "nightly", key: key, owner: "a", ttlMs: 1_000))
            let waiter = LockClaim(owner: "w", ownerTokenSHA256: String(repeating: "ab", count: 32), ttl: 60)
            let queued = try await CommandHandler(store: api.store, decider: Lock.self).handle(
                .acquire(waiter, now: time.clock.now(), wait: LockWait(waiterID: "w-1", until: time.clock.now() + 30)),
                tenant: "acme", stream: "lock-nightly")
            #expect(queued.events.count == 1 && grant["position"] is String)
            let position = try #require(queued.append?.lastCursor)
            #expect(try await api.get("/v1/locks/nightly?consistent_with=\(position)", key: key).status == .ok)
            let reactor = ExpiryReactor(store: api.store, ledger: QuotaLedger(store: api.store, logger: .init(label: "t"), clock: time.clock),
                                        logger: .init(label: "t"))
            time.advance(by: 0.999)
            await reactor.runOnce()
            #expect(try await api.store.count(tenant: "acme", stream: "lock-nightly") == 2)
            time.advance(by: 0.001)
            await reactor.runOnce()
            await reactor.runOnce()
            let events = try await api.store.readStream(tenant: "acme", stream: "lock-nightly")
            #expect(events.map(\.type) == ["LockAcquired", "LockWaitQueued", "LockExpired", "LockAcquired"])
            let head = try await api.store.committedHead()
            let view = try json(try await api.get("/v1/locks/nightly?consistent_with=\(head)", key: key))
            #expect(view["holder"] as? String == "w" && view["fencing_token"] as? Int == 2 && view["waiter_count"] as? Int == 0)
        }
    }
}
