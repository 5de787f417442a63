@testable import API
import EventStore
import EventStoreTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct SessionIsolationTests {
    /// Every session route, on session s1 (message m1, share `share`).
    static func routes(share: String) -> [(HTTPRequest.Method, String, String?)] {
        [
            (.get, "/v1/sessions/s1", nil),
            (.patch, "/v1/sessions/s1", #"{"title":"mine now"}"#),
            (.delete, "/v1/sessions/s1", nil),
            (.post, "/v1/sessions/s1/messages", #"{"role":"user","content":"hi"}"#),
            (.get, "/v1/sessions/s1/messages", nil),
            (.post, "/v1/sessions/s1/messages/m1/edits", #"{"content":"edited"}"#),
            (.get, "/v1/sessions/s1/branch", nil),
            (.put, "/v1/sessions/s1/branch", #"{"message_id":"m1"}"#),
            (.post, "/v1/sessions/s1/summaries", #"{"through_message_id":"m1","summary":"s"}"#),
            (.get, "/v1/sessions/s1/context?max_tokens=100", nil),
            (.get, "/v1/sessions/s1/export", nil),
            (.get, "/v1/sessions/s1/stream", nil),
            (.post, "/v1/sessions/s1/shares", #"{}"#),
            (.get, "/v1/sessions/s1/shares", nil),
            (.delete, "/v1/sessions/s1/shares/\(share)", nil),
        ]
    }

    @Test func anotherTenant_andAnotherUser_seeNoSessionOnAnyRoute_andWriteNothing() async throws {
        try await APITest.run(sessions: true) { api in
            let owner = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await owner.start("s1", owner: "u1", title: "Private")
            try await owner.append("s1", "m1", "private words")
            let shared = try await api.send(.post, "/v1/sessions/s1/shares", key: owner.key, body: "{}")
            let share = try #require(try json(shared)["id"] as? String)
            let position = try #require(shared.headers[.eventloomPosition])
            let otherTenant = try await api.issueKey(tenant: "globex")
            let otherUser = try await api.userKey(admin: owner.key, user: "u2")
            let before = try await api.store.count(tenant: "acme")
            for key in [otherTenant, otherUser] {
                for (method, path, body) in Self.routes(share: share) {
                    let response = try await api.send(method, path, key: key, body: body)
                    #expect(response.status == .notFound, "\(method) \(path): \(response.status)")
                    #expect(!String(buffer: response.body).contains("private"))
                }
                let list = try json(try await api.get("/v1/sessions?consistent_with=\(position)", key: key))
                #expect((list["sessions"] as? [Any])?.isEmpty == true)
                let search = try json(try await api.get("/v1/sessions/search?q=private", key: key))
                #expect((search["hits"] as? [Any])?.isEmpty == true)
            }
            #expect(try await api.store.count(tenant: "acme") == before)
            // A user's key reads its sessions, never the tenant's log, audit or usage.
            for path in ["/v1/events?category=session", "/v1/events/stream", "/v1/streams/session-s1/events", "/v1/streams/session-s1/state", "/v1/audit", "/v1/usage"] {
                let refused = try await api.get(path, key: otherUser)
                #expect(refused.status == .forbidden, "\(path): \(refused.status)")
            }
            // The user's own key sees its session; a tenant-wide key sees it too.
            let ownUser = try await api.userKey(admin: owner.key, user: "u1")
            #expect(try await api.get("/v1/sessions/s1", key: ownUser).status == .ok)
            let own = try json(try await api.get("/v1/sessions", key: ownUser))
            #expect((own["sessions"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["s1"])
            let ownSearch = try json(try await api.get("/v1/sessions/search?q=words", key: ownUser))
            #expect((ownSearch["hits"] as? [[String: Any]])?.compactMap { $0["message_id"] as? String } == ["m1"])
            let foreign = try await api.send(.post, "/v1/sessions", key: ownUser,
                                             body: #"{"owner":"u2","title":"t","config":{"model":"m"}}"#)
            #expect(foreign.status == .forbidden)
            let chosenID = try await api.send(.post, "/v1/sessions", key: ownUser, body: #"{"session_id":"s9","title":"t","config":{"model":"m"}}"#)
            #expect(chosenID.status == .badRequest)
        }
    }

    @Test func list_pagesByActivity_withFilters() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            for n in 1...5 { try await client.start("s\(n)", owner: n == 5 ? "u2" : "u1") }
            var position = try await client.append("s2", "m1", "recent")
            let archived = try await api.send(.patch, "/v1/sessions/s3", key: client.key, body: #"{"archived":true}"#)
            #expect(archived.status == .ok)
            let deleted = try await api.send(.delete, "/v1/sessions/s4", key: client.key)
            position = try #require(deleted.headers[.eventloomPosition])
            let first = try json(try await client.get("/v1/sessions?owner=u1&limit=1", at: position))
            #expect((first["sessions"] as? [[String: Any]])?.first?["id"] as? String == "s2")
            let after = try #require(first["next_after"] as? String)
            let second = try json(try await client.get("/v1/sessions?owner=u1&limit=5&after=\(after)"))
            #expect((second["sessions"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["s1"])
            #expect(second["next_after"] is NSNull)
            let all = try json(try await client.get("/v1/sessions?archived=any"))
            #expect(Set((all["sessions"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []) == ["s1", "s2", "s3", "s5"])
            let trash = try json(try await client.get("/v1/sessions?deleted=true"))
            #expect((trash["sessions"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["s4"])
            let tagged = try json(try await client.get("/v1/sessions?tag=travel&owner=u2"))
            #expect((tagged["sessions"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["s5"])
            try expectProblem(try await client.get("/v1/sessions?after=garbage"), .badRequest)
        }
    }
}
