@testable import API
import EventStore
import EventStoreTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `POST /v1/subjects/{id}/erasure` and `GET /v1/subjects/{id}/export` over HTTP: after an
/// erasure no route shows the subject's plaintext, another subject's data is untouched,
/// budgets still add up, and every refused request writes nothing.
@Suite struct ErasureAPITests {
    static let aliceSecrets = ["Alice medical notes", "alice has asthma", "alice&#39;s record", "alice's record", "allergic"]

    /// Alice (session a, shared, with a budget of her own and a settled call) and Bob (session b).
    static func setUp(_ api: APITest) async throws -> (client: SessionsClient, share: String) {
        let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
        try await client.start("a", owner: "u-alice", title: "Alice medical notes")
        try await client.append("a", "m1", "alice has asthma", extra: #","citations":[{"document_id":"d1","chunk_id":"c1","quote":"alice's record"}]"#)
        try await client.append("a", "m2", role: "assistant", "allergic to pollen", parent: "m1")
        try await client.start("b", owner: "u-bob", title: "Bob travel notes")
        try await client.append("b", "m1", "bob goes to Kyoto")
        let share = try json(try await api.send(.post, "/v1/sessions/a/shares", key: client.key, body: #"{"mode":"read"}"#))
        let price = try await api.send(.put, "/v1/models/m1/price", key: client.key, body: #"{"input_per_1k":"0.001","output_per_1k":"0.002"}"#)
        try #require(price.status == .ok)
        let budget = try await api.send(.post, "/v1/budgets", key: client.key, body: """
            {"id":"alice-b","name":"Alice","scope":{"kind":"user","id":"u-alice"},"limit":{"tokens":1000},"period":"day","time_zone":"UTC"}
            """)
        try #require(budget.status == .created, "\(String(buffer: budget.body))")
        let reserved = try json(try await api.send(.post, "/v1/budgets/alice-b/reservations", key: client.key, body: """
            {"request_id":"call-1","model":"m1","prompt_tokens":100,"max_completion_tokens":100}
            """))
        let reservation = try #require(reserved["id"] as? String)
        let settled = try await api.send(.post, "/v1/reservations/\(reservation)/settle", key: client.key, body: """
            {"outcome":"completed","usage":{"prompt_tokens":100,"completion_tokens":20}}
            """)
        try #require(settled.status == .ok)
        return (client, try #require(share["url"] as? String))
    }

    @Test func afterErasure_noRouteShowsTheSubjectsPlaintext_anotherSubjectIsUntouched_andBudgetsStillAddUp() async throws {
        try await APITest.run(quotas: true, sessions: true) { api in
            let (client, shareURL) = try await Self.setUp(api)
            // The export reads the read models as they are: let them reach the setup's writes first.
            let written = try #require(try await api.store.committedHead()).description
            _ = try await client.get("/v1/sessions/a", at: written)
            _ = try await client.get("/v1/budgets/alice-b", at: written)
            let before = String(buffer: try await client.get("/v1/subjects/u-alice/export").body)
            #expect(before.contains("alice has asthma") && before.contains("\"table\":\"session_messages\"")
                    && before.contains("\"table\":\"budgets\"") && !before.contains("bob goes"), "\(before)")

            let plain = String(buffer: try await client.get("/v1/events?limit=1000", at: try #require(try await api.store.committedHead()).description).body)
            #expect(plain.contains("alice has asthma"), "the log reads in clear before the erasure")

            let erased = try await api.send(.post, "/v1/subjects/u-alice/erasure", key: client.key, body: #"{"reason":"ticket 42"}"#)
            #expect(erased.status == .ok, "\(String(buffer: erased.body))")
            let position = try #require(erased.headers[.eventloomPosition])
            #expect(try json(erased)["reason"] as? String == "ticket 42")

            let routes = ["/v1/events?limit=1000", "/v1/streams/session-a/events", "/v1/sessions/a", "/v1/sessions/a/messages",
                          "/v1/sessions?owner=u-alice", "/v1/sessions/search?q=asthma", "/v1/sessions/a/export",
                          "/v1/sessions/a/export?format=markdown", "/v1/audit?limit=1000", "/v1/audit/export",
                          "/v1/subjects/u-alice/export", "/v1/streams/session-a/state"]
            var seen = ""
            for route in routes {
                let waits = route.hasPrefix("/v1/sessions") || route.hasPrefix("/v1/audit?") || route.hasPrefix("/v1/events?")
                let response = try await client.get(route, at: waits ? position : nil)
                let body = String(buffer: response.body)
                #expect(response.status.code < 500, "\(route): \(response.status) \(body)")
                for secret in Self.aliceSecrets { #expect(!body.contains(secret), "\(secret) readable at \(route)") }
                seen += body
            }
            #expect(seen.contains("[erased]"))
            #expect(seen.contains("\"status\":\"erased\""), "the export says so")
            let shared = String(buffer: try await api.get(shareURL).body)
            for secret in Self.aliceSecrets { #expect(!shared.contains(secret), "\(secret) readable through the shared link") }

            // The live stream from the start.
            let port = try #require(api.client.port)
            var live = ""
            try await SSEClient.read(port: port, path: "/v1/events/stream?after=0-0", key: client.key) { item in
                guard case .event(_, let type, let data) = item else { return true }
                live += data
                return type != "SubjectErased"
            }
            for secret in Self.aliceSecrets { #expect(!live.contains(secret), "\(secret) readable on the live stream") }

            // Bob is untouched; the budget still adds up.
            let bob = String(buffer: try await client.get("/v1/sessions/b/messages", at: position).body)
            #expect(bob.contains("bob goes to Kyoto"))
            let budget = try json(try await client.get("/v1/budgets/alice-b", at: position))
            #expect(((budget["window"] as? [String: Any])?["consumed"] as? [String: Any])?["tokens"] as? Int == 120, "\(budget)")
            #expect(try await api.store.verify().isIntact)

            // Writing Alice's personal data again is refused.
            let write = try await api.send(.post, "/v1/sessions/a/messages", key: client.key, body: #"{"message_id":"m3","role":"user","content":"again"}"#)
            #expect(write.status == .gone, "\(String(buffer: write.body))")
        }
    }

    @Test func refusedErasures_areClearProblems_andWriteNothing() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await client.start("a", owner: "u-alice", title: "Alice medical notes")
            let reader = try await api.issueKey(tenant: "acme", roles: ["reader", "auditor"])
            let head = try await api.store.committedHead()
            try expectProblem(try await api.send(.post, "/v1/subjects/u-nobody/erasure", key: client.key, body: #"{"reason":"x"}"#), .notFound)
            try expectProblem(try await api.send(.post, "/v1/subjects/u-alice/erasure", key: client.key, body: #"{"reason":"  "}"#), .badRequest)
            try expectProblem(try await api.send(.post, "/v1/subjects/u-alice/erasure", key: client.key, body: #"{}"#), .badRequest)
            let long = String(repeating: "r", count: 1_001)
            try expectProblem(try await api.send(.post, "/v1/subjects/u-alice/erasure", key: client.key, body: #"{"reason":"\#(long)"}"#), .badRequest)
            try expectProblem(try await api.send(.post, "/v1/subjects/u-alice/erasure", key: reader, body: #"{"reason":"x"}"#), .forbidden)
            try expectProblem(try await api.send(.post, "/v1/subjects/u%20alice/erasure", key: client.key, body: #"{"reason":"x"}"#), .notFound)
            #expect(try await api.store.committedHead() == head, "nothing written by a refused erasure")

            #expect(try await api.send(.post, "/v1/subjects/u-alice/erasure", key: client.key, body: #"{"reason":"x"}"#).status == .ok)
            let written = try await api.store.committedHead()
            let again = try await api.send(.post, "/v1/subjects/u-alice/erasure", key: client.key, body: #"{"reason":"x"}"#)
            try expectProblem(again, .conflict)
            #expect(String(buffer: again.body).contains("already-erased"))
            #expect(try await api.store.committedHead() == written, "nothing written by a second erasure")
            try expectProblem(try await api.get("/v1/subjects/u-nobody/export", key: client.key), .notFound)
        }
    }
}
