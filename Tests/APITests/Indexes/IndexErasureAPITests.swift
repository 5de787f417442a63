@testable import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import Testing

@Suite("Erasure of index chunks over HTTP") struct IndexErasureAPITests {
    /// Claims the next task of `kb` version `version`: its id, token, document and commit.
    static func claim(_ api: APITest, key: String, version: Int) async throws
        -> (task: String, token: Int, document: String, commit: String)
    {
        var claimed: [String: Any] = [:]
        try await waitUntil(timeout: TestDatabase.horizonTimeout, "a task to claim") {
            let response = try await api.send(.post, "/v1/ingestion/claims", key: key,
                                              body: #"{"worker":"w","lease_ms":60000,"index":"kb","version":\#(version)}"#)
            guard response.status == .ok else { return false }
            claimed = try json(response)
            return true
        }
        return (try #require(claimed["task_id"] as? String), try #require(claimed["fencing_token"] as? Int),
                try #require(claimed["document_id"] as? String), try #require(claimed["commit_id"] as? String))
    }

    /// Uploads `vectors` as the task's chunks (one part), as JSON numbers or in base64.
    static func upload(_ api: APITest, key: String, task: String, token: Int, vectors: [[Float]], base64: Bool = false) async throws {
        let chunks = vectors.enumerated().map { i, vector in
            let components = base64 ? "\"\(Float32Base64.encode(vector))\"" : "[\(vector.map { "\($0)" }.joined(separator: ","))]"
            return #"{"ordinal":\#(i),"start":0,"end":1,"text":"chunk \#(i)","vector":\#(components)}"#
        }
        let part = try await api.send(.put, "/v1/ingestion/tasks/\(task)/parts/0", key: key,
                                      body: #"{"fencing_token":\#(token),"chunks":[\#(chunks.joined(separator: ","))]}"#)
        try #require(part.status == .ok, "\(String(buffer: part.body))")
    }

    static func hits(_ api: APITest, key: String) async throws -> [String] {
        let response = try await SearchAPITests.search(api, key: key, vector: [0, 0, 0, 0], k: 20)
        try #require(response.status == .ok, "\(String(buffer: response.body))")
        return try #require(try json(response)["hits"] as? [[String: Any]]).compactMap { $0["document_id"] as? String }
    }

    @Test func erasingAnOwner_takesItsPrivateChunksOutOfEveryVersion_andTheRestStays() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let admin = try await api.issueKey(tenant: "acme")
            let ann = try await api.userKey(admin: admin, user: "u-ann")
            _ = try await DocumentClient.create(api, key: admin, id: "handbook").commitID("shared text\n", head: nil)
            _ = try await DocumentClient.create(api, key: ann, id: "diary", extra: #","private":true"#).commitID("my secret\n", head: nil)
            let created = try await api.send(.post, "/v1/indexes/kb/versions", key: admin, body: """
                {"embedding_model":"m","dimension":4,"metric":"l2",
                 "sources":[{"document_id":"handbook","ref":"main"},{"document_id":"diary","ref":"main"}]}
                """)
            try #require(created.status == .created, "\(String(buffer: created.body))")
            var tasks: [String: String] = [:]
            for _ in 0..<2 {
                let (task, token, document, _) = try await Self.claim(api, key: admin, version: 1)
                let vectors = SearchAPITests.vectors(3, dimension: 4, seed: document == "diary" ? 1 : 2)
                try await Self.upload(api, key: admin, task: task, token: token, vectors: vectors)
                let done = try await api.send(.post, "/v1/ingestion/tasks/\(task)/complete", key: admin, body: #"{"fencing_token":\#(token)}"#)
                try #require(done.status == .ok, "\(String(buffer: done.body))")
                tasks[document] = task
            }
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "version 1 ready") {
                try json(try await api.send(.get, "/v1/indexes/kb/versions/1", key: admin))["status"] as? String == "ready"
            }
            _ = try await api.send(.post, "/v1/indexes/kb/activate", key: admin, body: #"{"version":1}"#)
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "the index serving") {
                try await SearchAPITests.search(api, key: admin, vector: [0, 0, 0, 0], k: 1).status == .ok
            }
            #expect(try await Self.hits(api, key: admin).sorted() == ["diary", "diary", "diary", "handbook", "handbook", "handbook"])
            let diaryTask = try #require(tasks["diary"])
            let events = try await api.store.readStream(tenant: "acme", stream: "ingest-\(diaryTask)")
            guard case .succeeded(_, let result, _)? = try events.last?.decode(as: IngestionTaskEvent.self) else {
                Issue.record("the diary's task did not succeed last")
                return
            }
            #expect(result.scope == "u-ann", "the success records whose chunks they are")

            let erased = try await api.send(.post, "/v1/subjects/u-ann/erasure", key: admin, body: #"{"reason":"request 9"}"#)
            try #require(erased.status == .ok, "\(String(buffer: erased.body))")
            let position = try #require(try json(erased)["position"] as? String)
            let after = try await SearchAPITests.search(api, key: admin, vector: [0, 0, 0, 0], k: 20,
                                                        extra: #","consistent_with":"\#(position)""#)
            let documents = try #require(try json(after)["hits"] as? [[String: Any]]).compactMap { $0["document_id"] as? String }
            #expect(documents == ["handbook", "handbook", "handbook"])
            let rows = try await api.store.client.query("SELECT scope, count(*)::int8 FROM ingestion_chunks GROUP BY scope")
            var counts: [String: Int64] = [:]
            for try await (scope, count) in rows.decode((String, Int64).self) { counts[scope] = count }
            #expect(counts == ["": 3])
            let build = try json(try await api.send(.get, "/v1/indexes/kb/versions/1/build", key: admin))
            #expect(build["vectors"] as? Int == 3)
        }
    }

    @Test func aTaskWhoseContentWasErased_stagesAndCommitsNothing() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let admin = try await api.issueKey(tenant: "acme")
            let bob = try await api.userKey(admin: admin, user: "u-bob")
            _ = try await DocumentClient.create(api, key: bob, id: "notes", extra: #","private":true"#).commitID("bob's notes\n", head: nil)
            let created = try await api.send(.post, "/v1/indexes/kb/versions", key: admin, body: """
                {"embedding_model":"m","dimension":4,"metric":"l2","sources":[{"document_id":"notes","ref":"main"}]}
                """)
            try #require(created.status == .created, "\(String(buffer: created.body))")
            let (task, token, _, _) = try await Self.claim(api, key: admin, version: 1)
            try await Self.upload(api, key: admin, task: task, token: token, vectors: SearchAPITests.vectors(2, dimension: 4, seed: 3))
            let erased = try await api.send(.post, "/v1/subjects/u-bob/erasure", key: admin, body: #"{"reason":"request 10"}"#)
            try #require(erased.status == .ok, "\(String(buffer: erased.body))")
            // The erasure dropped what was staged for the erased content.
            let incomplete = try await api.send(.post, "/v1/ingestion/tasks/\(task)/complete", key: admin, body: #"{"fencing_token":\#(token)}"#)
            try expectProblem(incomplete, .conflict)
            // The content is gone: a part is refused, and nothing is staged or committed.
            let chunk = #"{"ordinal":0,"start":0,"end":1,"text":"again","vector":[0,0,0,0]}"#
            let part = try await api.send(.put, "/v1/ingestion/tasks/\(task)/parts/0", key: admin,
                                          body: #"{"fencing_token":\#(token),"chunks":[\#(chunk)]}"#)
            try expectProblem(part, .gone)
            let failed = try await api.send(.post, "/v1/ingestion/tasks/\(task)/fail", key: admin,
                                            body: #"{"fencing_token":\#(token),"error":"content erased","retryable":false}"#)
            #expect(failed.status == .ok, "\(String(buffer: failed.body))")
            for table in ["ingestion_chunks", "ingestion_staged_chunks"] {
                let rows = try await api.store.client.query("SELECT count(*)::int8 FROM \(unescaped: table)")
                for try await count in rows.decode(Int64.self) { #expect(count == 0, "\(table)") }
            }
            let events = try await api.store.readStream(tenant: "acme", stream: "ingest-\(task)")
            #expect(!events.contains { $0.type == "IngestionTaskSucceeded" })
        }
    }
}
