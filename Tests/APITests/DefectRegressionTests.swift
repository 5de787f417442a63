@testable import API
import EventStore
import EventStoreTesting
import Domain
import Foundation
import Logging
import HTTPTypes
import HummingbirdTesting
import Quotas
import Testing

/// Defects an outside client found, each held to what the docs and the spec promise.
@Suite struct DefectRegressionTests {
    /// docs/quotas.md: a key stops authenticating at its `expires_at`, not a cache lifetime later.
    @Test func keyPastItsExpiry_isRefusedAtThatInstant_evenWhileItsLookupIsCached() async throws {
        let time = ManualClock()
        try await APITest.run(configure: { $0.clock = time.clock }) { api in
            let expiresAt = APITime.text(time.now.addingTimeInterval(3_600))
            let created = try await api.post("/v1/keys", key: adminKey, body: """
                {"tenant":"acme","name":"short","roles":["reader"],"expires_at":"\(expiresAt)"}
                """)
            try #require(created.status == .created, "\(String(buffer: created.body))")
            let secret = try #require(try json(created)["secret"] as? String)
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "key usable") {
                try await api.get("/v1/projections", key: secret).status == .ok
            }
            time.advance(by: 3_599)
            #expect(try await api.get("/v1/projections", key: secret).status == .ok)   // cached now
            time.advance(by: 1)
            #expect(try await api.get("/v1/projections", key: secret).status == .unauthorized)
        }
    }

    /// docs/quotas.md: a settlement that arrives after its reservation expired is charged,
    /// recorded as late, in the window it lands in; the usage is never dropped.
    @Test func settlementAfterExpiry_isChargedLate_notRefused() async throws {
        let time = ManualClock()
        try await APITest.run(quotas: true, configure: { $0.clock = time.clock }) { api in
            let key = try await QuotasAPITests.setUp(api)
            let reserved = try await api.send(.post, "/v1/budgets/team/reservations", key: key, body: """
                {"request_id":"slow","model":"m1","prompt_tokens":100,"max_completion_tokens":100,"ttl_seconds":1}
                """)
            try #require(reserved.status == .created, "\(String(buffer: reserved.body))")
            let id = try #require(try json(reserved)["id"] as? String)
            let position = try #require(reserved.headers[.eventloomPosition])
            #expect(try await api.get("/v1/budgets/team?consistent_with=\(position)", key: key).status == .ok)
            time.advance(by: 2)
            let reactor = ExpiryReactor(store: api.store, ledger: QuotaLedger(store: api.store, logger: .init(label: "t"), clock: time.clock),
                                        logger: .init(label: "t"))
            await reactor.runOnce()
            #expect(try json(try await api.get("/v1/reservations/\(id)", key: key))["status"] as? String == "expired")

            let settled = try await api.send(.post, "/v1/reservations/\(id)/settle", key: key, body: """
                {"outcome":"completed","usage":{"prompt_tokens":100,"completion_tokens":20}}
                """)
            try #require(settled.status == .ok, "\(String(buffer: settled.body))")
            let body = try json(settled)
            #expect(body["status"] as? String == "settled")
            let settlement = try #require(body["settlement"] as? [String: Any])
            #expect(settlement["late"] as? Bool == true)
            #expect((settlement["charged"] as? [String: Any])?["tokens"] as? Int == 120)
            #expect((settlement["refunded"] as? [String: Any])?["tokens"] as? Int == 0)
            let after = try #require(settled.headers[.eventloomPosition])
            let budget = try await api.get("/v1/budgets/team?consistent_with=\(after)", key: key)
            let window = try #require(try json(budget)["window"] as? [String: Any])
            #expect((window["consumed"] as? [String: Any])?["tokens"] as? Int == 120)
            #expect((window["reserved"] as? [String: Any])?["tokens"] as? Int == 0)
            // The same report again is answered from the log and writes nothing.
            let before = try await api.store.count(tenant: "acme")
            let again = try await api.send(.post, "/v1/reservations/\(id)/settle", key: key, body: """
                {"outcome":"completed","usage":{"prompt_tokens":100,"completion_tokens":20}}
                """)
            let replayed = try json(again)["settlement"] as? [String: Any]
            #expect(again.status == .ok && replayed?["late"] as? Bool == true)
            #expect(try await api.store.count(tenant: "acme") == before)
        }
    }

    /// The spec: `wait_ms` is 0–60,000; outside it is a 400 naming the field, and nothing is written.
    @Test(arguments: [-1, 60_001])
    func reservationWithWaitMsOutOfRange_is400NamingTheField_andWritesNothing(waitMs: Int) async throws {
        try await APITest.run(quotas: true) { api in
            let key = try await QuotasAPITests.setUp(api)
            let before = try await api.store.count(tenant: "acme")
            let response = try await api.send(.post, "/v1/budgets/team/reservations", key: key, body: """
                {"request_id":"w","model":"m1","prompt_tokens":10,"max_completion_tokens":10,"wait_ms":\(waitMs)}
                """)
            try expectProblem(response, .badRequest)
            #expect(String(buffer: response.body).contains("wait_ms"))
            #expect(try await api.store.count(tenant: "acme") == before)
        }
    }

    /// A lock held by another owner is 423 Locked, naming the holder and the expiry, with Retry-After.
    @Test func lockHeldByAnother_is423WithHolderExpiryAndRetryAfter() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let until = now.addingTimeInterval(29.2)
        let problem = APIError(mapping: LockError.held(owner: "alice", token: 4, until: until), logger: Logger(label: "t"), now: now)
        #expect(problem.status.code == 423)
        #expect(problem.extra["holder"] == "alice" && problem.extra["expires_at"] == .string(APITime.text(until)))
        #expect(problem.extra["fencing_token"] == 4)
        #expect(problem.headers[.retryAfter] == "30", "Retry-After counts from the injected clock's now, rounded up")
        #expect(APIError(mapping: LockError.notHolder, logger: Logger(label: "t"), now: Date()).status == .conflict)
    }

    /// A session that would pass one of its totals is 409 session-full naming the total.
    @Test func sessionPastItsContentTotal_is409NamingTheLimit() {
        let problem = APIError(mapping: SessionError.full(limit: "content_bytes", reason: "full"), logger: Logger(label: "t"), now: Date())
        #expect(problem.status == .conflict && problem.slug == "session-full" && problem.extra["limit"] == "content_bytes")
    }

    /// A link opened right after it was shared is found (no 404 while the read model
    /// catches up), and each read's view count includes that read, one more each time.
    @Test func newSharedLink_isReadableAtOnce_andEachReadCountsItsOwnView() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await client.start("s1")
            _ = try await client.conversation("s1", count: 2)
            for round in 0..<3 {
                let shared = try await api.send(.post, "/v1/sessions/s1/shares", key: client.key, body: #"{"mode":"read"}"#)
                try #require(shared.status == .created, "\(String(buffer: shared.body))")
                let url = try #require(try json(shared)["url"] as? String)
                var counts: [Int] = []
                for _ in 0..<4 {
                    let read = try await api.get(url)
                    #expect(read.status == .ok, "round \(round): \(String(buffer: read.body))")
                    counts.append(try json(read)["views"] as? Int ?? -1)
                }
                #expect(counts == [1, 2, 3, 4])
            }
        }
    }

    /// The spec requires `active_message_id` (null) on the tree and the branch of a
    /// session without messages; session writes carry their position in the body too.
    @Test func sessionWithoutMessages_hasANullActiveMessage_andWritesCarryTheirPosition() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            let started = try await api.send(.post, "/v1/sessions", key: client.key,
                                             body: #"{"session_id":"empty","owner":"u1","title":"Empty","config":{"model":"m"}}"#)
            try #require(started.status == .created)
            let position = try #require(started.headers[.eventloomPosition])
            #expect(try json(started)["position"] as? String == position)
            for path in ["/v1/sessions/empty/messages", "/v1/sessions/empty/branch"] {
                let body = try json(try await api.get("\(path)?consistent_with=\(position)", key: client.key))
                #expect(body.keys.contains("active_message_id") && body["active_message_id"] is NSNull, "\(path): \(body)")
            }
            let appended = try await api.send(.post, "/v1/sessions/empty/messages", key: client.key,
                                              body: #"{"message_id":"m1","role":"user","content":"hi"}"#)
            #expect(try json(appended)["position"] as? String == appended.headers[.eventloomPosition])
        }
    }
}

