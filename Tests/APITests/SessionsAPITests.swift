@testable import API
import EventStore
import EventStoreTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing

/// Sessions over HTTP, with the sessions projection running.
struct SessionsClient {
    let api: APITest
    let key: String

    /// Starts session `id` (owner `owner` unless the key is bound to a user).
    @discardableResult
    func start(_ id: String, owner: String? = "u1", title: String = "Trip planning") async throws -> [String: Any] {
        let ownerField = owner.map { #""owner":"\#($0)","# } ?? ""
        let response = try await api.send(.post, "/v1/sessions", key: key, body: """
            {"session_id":"\(id)",\(ownerField)"title":"\(title)","config":{"model":"gpt-4o","temperature":0.5,"system_prompt":"Be brief."},"tags":["travel"]}
            """)
        try #require(response.status == .created, "\(String(buffer: response.body))")
        return try json(response)
    }

    /// Appends a message; returns the write's position.
    @discardableResult
    func append(_ session: String, _ id: String, role: String = "user", _ content: String, parent: String? = nil,
                extra: String = "") async throws -> String {
        let parentField = parent.map { #","parent_id":"\#($0)""# } ?? ""
        let response = try await api.send(.post, "/v1/sessions/\(session)/messages", key: key, body: """
            {"message_id":"\(id)","role":"\(role)","content":"\(content)"\(parentField)\(extra)}
            """)
        try #require(response.status == .created, "\(String(buffer: response.body))")
        return try #require(response.headers[.eventloomPosition])
    }

    func get(_ path: String, at position: String? = nil) async throws -> TestResponse {
        let separator = path.contains("?") ? "&" : "?"
        return try await api.get(path + (position.map { "\(separator)consistent_with=\($0)" } ?? ""), key: key)
    }

    /// A conversation m1 … m<count> (user, assistant, …) in `session`; returns the last position.
    func conversation(_ session: String, count: Int) async throws -> String {
        var position = ""
        for n in 1...count {
            position = try await append(session, "m\(n)", role: n % 2 == 1 ? "user" : "assistant", "message \(n)")
        }
        return position
    }
}

@Suite struct SessionsAPITests {
    @Test func editingMessageKOf10_andContinuing_yieldsTwoBranches_andExportImportExport_isIdentical() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await client.start("s1")
            _ = try await client.conversation("s1", count: 10)
            _ = try await client.append("s1", "m10-cited", role: "assistant", "with a source", parent: "m9",
                                        extra: #","model":"gpt-4o","completion_tokens":7,"citations":[{"document_id":"d1","document_version":3,"chunk_id":"c2","score":0.5,"quote":"q"}]"#)
            let edit = try await api.send(.post, "/v1/sessions/s1/messages/m4/edits", key: client.key,
                                          body: #"{"message_id":"m4b","content":"a better question"}"#)
            #expect(edit.status == .created)
            let position = try await client.append("s1", "m5b", role: "assistant", "another answer")

            let treeResponse = try await client.get("/v1/sessions/s1/messages", at: position)
            let tree = try json(treeResponse)
            let messages = try #require(tree["messages"] as? [[String: Any]], "\(String(buffer: treeResponse.body))")
            #expect(messages.count == 13)
            #expect(messages.first { $0["id"] as? String == "m3" }?["children"] as? [String] == ["m4", "m4b"])
            #expect(messages.first { $0["id"] as? String == "m4b" }?["edited_from"] as? String == "m4")
            let branch = try json(try await client.get("/v1/sessions/s1/branch", at: position))
            #expect((branch["messages"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["m1", "m2", "m3", "m4b", "m5b"])

            let switched = try await api.send(.put, "/v1/sessions/s1/branch", key: client.key, body: #"{"message_id":"m4"}"#)
            #expect(try json(switched)["active_message_id"] as? String == "m10-cited")
            let switchedAt = try #require(switched.headers[.eventloomPosition])

            let exported = try await client.get("/v1/sessions/s1/export", at: switchedAt)
            #expect(exported.status == .ok)
            let imported = try await api.post("/v1/sessions/import?owner=u2", key: client.key, body: String(buffer: exported.body))
            #expect(imported.status == .created, "\(String(buffer: imported.body))")
            let newID = try #require(try json(imported)["id"] as? String)
            #expect(newID != "s1")
            let importedAt = try #require(imported.headers[.eventloomPosition])
            let reexported = try await client.get("/v1/sessions/\(newID)/export", at: importedAt)
            #expect(String(buffer: reexported.body) == String(buffer: exported.body))
            #expect(String(buffer: exported.body).contains(#""edited_from":"m4""#))

            let markdown = try await client.get("/v1/sessions/s1/export?format=markdown")
            #expect(markdown.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(String(buffer: markdown.body).contains("## Assistant (gpt-4o)\n\nwith a source\n\n1. d1 v3, chunk c2: “q”"))
            #expect(!String(buffer: markdown.body).contains("another answer"))
        }
    }

    @Test func search_findsAChinesePhraseInsideALongerMessage_andAnEnglishWordByItsStem() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await client.start("zh", title: "旅行计划")
            try await client.append("zh", "z1", "我们下个月去北京旅行，想参观故宫和长城，请推荐路线")
            try await client.start("en", title: "Fitness")
            try await client.append("en", "e1", "She runs every morning before work")
            let position = try await client.append("en", "e2", role: "assistant", "Nothing to see here")
            let chinese = try json(try await client.get("/v1/sessions/search?q=%E5%8F%82%E8%A7%82%E6%95%85%E5%AE%AB", at: position))  // 参观故宫
            let chineseHits = try #require(chinese["hits"] as? [[String: Any]])
            #expect(chineseHits.count == 1)
            #expect(chineseHits.first?["message_id"] as? String == "z1")
            let english = try json(try await client.get("/v1/sessions/search?q=running"))
            let englishHits = try #require(english["hits"] as? [[String: Any]])
            #expect(englishHits.map { $0["message_id"] as? String } == ["e1"])
            let title = try json(try await client.get("/v1/sessions/search?q=%E6%97%85%E8%A1%8C"))  // 旅行: title and message
            let titleHits = try #require(title["hits"] as? [[String: Any]])
            #expect(titleHits.count == 2)
            #expect(titleHits.first?["message_id"] == nil, "a title match ranks first")
        }
    }

    @Test func search_leavesOutASoftDeletedSession_untilItIsRestored_andRanksTiesNewestFirst() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await client.start("a", title: "First")
            try await client.append("a", "a1", "the quokka smiles")
            try await client.start("b", owner: "u2", title: "Second")
            var position = try await client.append("b", "b1", "another quokka smiles")
            func hits() async throws -> [String?] {
                let found = try json(try await client.get("/v1/sessions/search?q=quokka", at: position))
                return try #require(found["hits"] as? [[String: Any]]).map { $0["message_id"] as? String }
            }
            #expect(try await hits() == ["b1", "a1"], "equal ranks: the newest message first")
            let own = try json(try await client.get("/v1/sessions/search?q=quokka&owner=u1", at: position))
            #expect(try #require(own["hits"] as? [[String: Any]]).map { $0["message_id"] as? String } == ["a1"])
            let deleted = try await api.send(.delete, "/v1/sessions/b", key: client.key)
            position = try #require(deleted.headers[.eventloomPosition])
            #expect(try await hits() == ["a1"])
            let restored = try await api.send(.patch, "/v1/sessions/b", key: client.key, body: #"{"deleted":false}"#)
            position = try #require(restored.headers[.eventloomPosition])
            #expect(try await hits() == ["b1", "a1"])
            // Deleting a session hides the messages it had before (written in earlier batches).
            _ = try await api.send(.delete, "/v1/sessions/a", key: client.key)
            position = try await client.append("b", "b2", "quokka again")
            #expect(try await hits() == ["b2", "b1"])
        }
    }

    @Test func search_onTablesOfAnOlderVersion_is503ReadModelRebuilding_not500() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await client.start("a", title: "First")
            let position = try await client.append("a", "a1", "the quokka smiles")
            #expect(try await client.get("/v1/sessions/search?q=quokka", at: position).status == .ok)
            // What the live tables of the previous version look like until a rebuild is swapped in.
            try await api.store.client.withConnection { connection in
                try await connection.query("ALTER TABLE projection_sessions.session_messages DROP COLUMN session_deleted",
                                           logger: Logger(label: "t"))
            }
            let outdated = try await client.get("/v1/sessions/search?q=quokka")
            try expectProblem(outdated, .serviceUnavailable)
            #expect(try json(outdated)["type"] as? String == APIError.typeBase + "read-model-rebuilding")
            #expect(outdated.headers[.retryAfter] == "30")
        }
    }

    @Test func shares_revokedOrExpired_are404_andAWrongPassword_is403WithoutSayingAnything() async throws {
        let time = ManualClock()
        try await APITest.run(sessions: true, configure: { $0.clock = time.clock }) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await client.start("s1", title: "Secret plans")
            _ = try await client.conversation("s1", count: 4)
            let open = try json(try await api.send(.post, "/v1/sessions/s1/shares", key: client.key, body: #"{"mode":"read"}"#))
            let locked = try await api.send(.post, "/v1/sessions/s1/shares", key: client.key,
                                            body: #"{"message_id":"m3","password":"correct horse"}"#)
            let expiry = time.now.addingTimeInterval(30)
            let expiring = try await api.send(.post, "/v1/sessions/s1/shares", key: client.key,
                                              body: #"{"expires_at":"\#(APITime.text(expiry))"}"#)
            #expect(expiring.status == .created, "\(String(buffer: expiring.body))")
            let position = try #require(expiring.headers[.eventloomPosition])
            let openURL = try #require(open["url"] as? String)
            let lockedURL = try #require(try json(locked)["url"] as? String)
            let expiringURL = try #require(try json(expiring)["url"] as? String)

            let shown = try await api.get(openURL + "?consistent_with=\(position)")
            #expect(shown.status == .ok)
            #expect((try json(shown)["messages"] as? [[String: Any]])?.count == 4)
            #expect(try json(shown)["views"] as? Int == 1)
            time.advance(by: 29)
            #expect(try await api.get(expiringURL + "?consistent_with=\(position)").status == .ok)

            for presented in [nil, "wrong password"] as [String?] {
                let refused = try await api.get(lockedURL, headers: presented.map { [SharedView.passwordHeader: $0] } ?? [:])
                try expectProblem(refused, .forbidden)
                let body = String(buffer: refused.body)
                #expect(!body.contains("s1") && !body.contains("Secret"))
            }
            let turn = try await api.get(lockedURL, headers: [SharedView.passwordHeader: "correct horse"])
            #expect((try json(turn)["messages"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["m3", "m4"])

            let shareID = openURL.split(separator: "/").last.map(String.init) ?? ""
            let revoked = try await api.send(.delete, "/v1/sessions/s1/shares/\(shareID)", key: client.key)
            #expect(revoked.status == .ok)
            // At once, whether the read model has seen the revocation or not: the log decides.
            try expectProblem(try await api.get(openURL), .notFound)
            try expectProblem(try await api.get(openURL + "?consistent_with=\(try #require(revoked.headers[.eventloomPosition]))"), .notFound)
            time.advance(by: 1)   // at its expires_at
            try expectProblem(try await api.get(expiringURL), .notFound)
            try expectProblem(try await api.get("/v1/shared/shr_nothing"), .notFound)
        }
    }

    @Test func context_isTheSystemPrompt_theSummary_andTheNewestMessagesThatFit() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await client.start("s1")
            _ = try await client.conversation("s1", count: 6)
            let summary = try await api.send(.post, "/v1/sessions/s1/summaries", key: client.key,
                                             body: #"{"summary_id":"sum1","through_message_id":"m2","summary":"They said hello."}"#)
            #expect(summary.status == .created)
            let position = try #require(summary.headers[.eventloomPosition])
            // "Be brief." 4+3; summary 4+4; each "message N" 4+3.
            let context = try json(try await client.get("/v1/sessions/s1/context?max_tokens=29", at: position))
            #expect(context["system_prompt"] as? String == "Be brief.")
            #expect((context["summary"] as? [String: Any])?["id"] as? String == "sum1")
            #expect((context["messages"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["m5", "m6"])
            #expect(context["estimated_tokens"] as? Int == 29)
            #expect(context["omitted_messages"] as? Int == 4)
            try expectProblem(try await client.get("/v1/sessions/s1/context"), .badRequest)
        }
    }

    @Test func badInput_isAProblem_andWritesNothing() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await client.start("s1")
            let before = try await api.store.count(tenant: "acme")
            let bad: [(HTTPRequest.Method, String, String)] = [
                (.post, "/v1/sessions/s1/messages", #"{"role":"user","content":""}"#),
                (.post, "/v1/sessions/s1/messages", #"{"role":"robot","content":"x"}"#),
                (.post, "/v1/sessions/s1/messages", #"{"role":"user","content":"x","parent_id":"nope"}"#),
                (.post, "/v1/sessions/s1/messages", #"{"message_id":"has space","role":"user","content":"x"}"#),
                (.patch, "/v1/sessions/s1", #"{"config":{"model":"gpt-4o","temperature":9}}"#),
                (.patch, "/v1/sessions/s1", #"{"title":""}"#),
                (.patch, "/v1/sessions/s1", #"{}"#),
                (.post, "/v1/sessions", #"{"title":"t","config":{"model":"m"}}"#),
                (.post, "/v1/sessions/s1/shares", #"{"password":"short"}"#),
                (.post, "/v1/sessions/import", #"{"format":"other","title":"t","config":{"model":"m"},"tags":[],"messages":[]}"#),
            ]
            for (method, path, body) in bad {
                let response = try await api.send(method, path, key: client.key, body: body)
                #expect(response.status == .badRequest, "\(method) \(path) \(body): \(String(buffer: response.body))")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            let big = String(repeating: "字", count: 100_001)
            let tooLong = try await api.send(.post, "/v1/sessions/s1/messages", key: client.key, body: #"{"role":"user","content":"\#(big)"}"#)
            #expect(tooLong.status == .contentTooLarge || tooLong.status == .badRequest)
            #expect(try await api.store.count(tenant: "acme") == before)
            let stale = try await api.send(.patch, "/v1/sessions/s1", key: client.key, body: #"{"title":"New"}"#, headers: [.ifMatch: "\"7\""])
            #expect(stale.status == .preconditionFailed)
        }
    }

    @Test func anIdempotencyKey_retried_writesOnce_andWithAnotherBody_is422() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await client.start("s1")
            let key: HTTPFields = [.idempotencyKey: "turn-1"]
            let first = try await api.send(.post, "/v1/sessions/s1/messages", key: client.key, body: #"{"role":"user","content":"a"}"#, headers: key)
            let retry = try await api.send(.post, "/v1/sessions/s1/messages", key: client.key, body: #"{"role":"user","content":"a"}"#, headers: key)
            #expect(first.status == .created && retry.status == .ok)
            #expect(try json(first)["item"] as? String == json(retry)["item"] as? String)
            let other = try await api.send(.post, "/v1/sessions/s1/messages", key: client.key, body: #"{"role":"user","content":"b"}"#, headers: key)
            #expect(other.status == .unprocessableContent)
            let future = #"{"format":"eventloom.session.v1","title":"t","config":{"model":"m"},"tags":[],"messages":[{"id":"m1","role":"user","content":"x","created_at":"2999-01-01T00:00:00Z"}]}"#
            #expect(try await api.post("/v1/sessions/import?owner=u1", key: client.key, body: future).status == .badRequest)
            let yearZero = future.replacingOccurrences(of: "2999-01-01", with: "0000-06-01")
            #expect(try await api.post("/v1/sessions/import?owner=u1", key: client.key, body: yearZero).status == .badRequest)
        }
    }

    @Test func shareGuard_limitsPasswordChecksAndReadsPerLink() async throws {
        let limits = ShareGuard(viewsPerMinute: 3, passwordChecksPerMinute: 2, concurrentChecks: 1)
        var checks = 0
        for _ in 0..<2 { #expect(try await limits.checkPassword("a") { checks += 1; return false } == false) }
        await #expect(throws: APIError.self) { try await limits.checkPassword("a") { checks += 1; return true } }
        #expect(checks == 2)
        #expect(try await limits.checkPassword("b") { true })
        for _ in 0..<3 { try limits.admitView("a") }
        #expect(throws: APIError.self) { try limits.admitView("a") }
        try limits.admitView("b")
    }

    @Test func aSessionsStream_deliversItsNewMessages() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await client.start("s1")
            try await client.start("s2")
            try await client.append("s2", "other", "not this one")
            let port = try #require(api.client.port)
            async let appended: Void = {
                try await Task.sleep(for: .milliseconds(300))
                try await client.append("s1", "live", "hello live")
            }()
            var types: [String] = []
            try await SSEClient.read(port: port, path: "/v1/sessions/s1/stream?after=0-0", key: client.key) { item in
                if case .event(_, let type, let data) = item {
                    types.append(type)
                    #expect(!data.contains("not this one"))
                    return !data.contains("hello live")
                }
                return true
            }
            try await appended
            #expect(types == ["SessionStarted", "SessionTagged", "MessageAppended"])
        }
    }
}
