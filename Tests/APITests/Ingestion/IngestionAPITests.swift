@testable import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Ingestion over HTTP") struct IngestionAPITests {
    static let text = "First paragraph of the handbook.\nSecond paragraph.\nThird.\n"

    /// A document `handbook` with `text` on main, and version 1 of index `kb` over it (dimension 4).
    static func prepare(_ api: APITest, key: String) async throws {
        let document = try await DocumentClient.create(api, key: key)
        _ = try await document.commitID(Self.text, head: nil)
        let created = try await api.send(.post, "/v1/indexes/kb/versions", key: key,
                                         body: #"{"embedding_model":"tiny","dimension":4,"metric":"cosine","sources":[{"document_id":"handbook","ref":"main"}]}"#)
        try #require(created.status == .created, "\(String(buffer: created.body))")
    }

    static func chunk(_ ordinal: Int, vector: String = "[0.1,0.2,0.3,0.4]", start: Int = 0, end: Int = 10) -> String {
        #"{"ordinal":\#(ordinal),"start":\#(start),"end":\#(end),"text":"chunk \#(ordinal)","metadata":{"page":"1"},"vector":\#(vector)}"#
    }

    static func part(_ api: APITest, key: String, task: String, part: Int, token: Int, chunks: [String]) async throws -> TestResponse {
        try await api.send(.put, "/v1/ingestion/tasks/\(task)/parts/\(part)", key: key,
                           body: #"{"fencing_token":\#(token),"chunks":[\#(chunks.joined(separator: ","))]}"#)
    }

    @Test func queue_claim_uploadInParts_complete_andTheBuildIsCounted() async throws {
        try await APITest.run(ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            try await Self.prepare(api, key: key)
            // Creating the version queued its task; queueing again finds it (the same content
            // for the same version is one task).
            let queued = try json(try await api.send(.post, "/v1/indexes/kb/versions/1/tasks", key: key))
            let tasks = try #require(queued["tasks"] as? [[String: Any]])
            #expect(tasks.count == 1 && tasks[0]["created"] as? Bool == false)
            let task = try #require(tasks[0]["task_id"] as? String)
            #expect(try await api.store.count(tenant: "acme", stream: "ingest-\(task)") == 1)

            let claim = try await waitForClaim(api, key: key, worker: "embedder-1")
            #expect(claim["task_id"] as? String == task && claim["fencing_token"] as? Int == 1)
            #expect(claim["dimension"] as? Int == 4 && claim["content_size"] as? Int == Self.text.utf8.count)
            #expect(try await api.send(.post, "/v1/ingestion/claims", key: key,
                                       body: #"{"worker":"embedder-2","lease_ms":60000}"#).status == .noContent)

            #expect(try await Self.part(api, key: key, task: task, part: 0, token: 1, chunks: [Self.chunk(0), Self.chunk(1)]).status == .ok)
            #expect(try await Self.part(api, key: key, task: task, part: 1, token: 1, chunks: [Self.chunk(2)]).status == .ok)
            let progress = try await api.send(.post, "/v1/ingestion/tasks/\(task)/progress", key: key,
                                              body: #"{"fencing_token":1,"chunks":3,"parts":2,"lease_ms":60000}"#)
            #expect(progress.status == .ok)
            let completed = try await api.send(.post, "/v1/ingestion/tasks/\(task)/complete", key: key, body: #"{"fencing_token":1}"#)
            #expect(completed.status == .ok)
            #expect(try json(completed)["status"] as? String == "succeeded")
            let committed = try await ChunkStore(store: api.store).chunks(tenant: "acme", taskID: task)
            #expect(committed.map(\.ordinal) == [0, 1, 2])
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "the build counts the task") {
                let build = try json(try await api.get("/v1/indexes/kb/versions/1/build", key: key))
                return build["succeeded"] as? Int == 1 && build["chunks"] as? Int == 3
            }
            let shown = try json(try await api.get("/v1/ingestion/tasks/\(task)", key: key))
            #expect(shown["status"] as? String == "succeeded" && shown["document_id"] as? String == "handbook")
        }
    }

    @Test func aStaleTokensReports_areRefused_andItsPartsNeverCommitted() async throws {
        let time = ManualClock()
        try await APITest.run(ingestion: true, configure: { $0.clock = time.clock }) { api in
            let key = try await api.issueKey(tenant: "acme")
            try await Self.prepare(api, key: key)
            _ = try await api.send(.post, "/v1/indexes/kb/versions/1/tasks", key: key)
            let first = try await waitForClaim(api, key: key, worker: "slow", leaseMs: 1_000)
            let task = try #require(first["task_id"] as? String)
            #expect(try await Self.part(api, key: key, task: task, part: 0, token: 1, chunks: [Self.chunk(0, vector: "[9,9,9,9]")]).status == .ok)
            time.advance(by: 7)   // the lease (1 s) and the first backoff (5 s) are over
            let second = try await waitForClaim(api, key: key, worker: "fast")
            #expect(second["fencing_token"] as? Int == 2 && second["attempt"] as? Int == 2)

            let stale = try await Self.part(api, key: key, task: task, part: 1, token: 1, chunks: [Self.chunk(1)])
            try expectProblem(stale, .conflict)
            #expect(try json(stale)["type"] as? String == APIError.typeBase + "ingestion-stale-token")
            try expectProblem(try await api.send(.post, "/v1/ingestion/tasks/\(task)/complete", key: key, body: #"{"fencing_token":1}"#),
                              .conflict)
            #expect(try await Self.part(api, key: key, task: task, part: 0, token: 2, chunks: [Self.chunk(0)]).status == .ok)
            #expect(try await api.send(.post, "/v1/ingestion/tasks/\(task)/complete", key: key, body: #"{"fencing_token":2}"#).status == .ok)
            let committed = try await ChunkStore(store: api.store).chunks(tenant: "acme", taskID: task)
            #expect(committed.map(\.vector) == [HalfPrecision.rounded([0.1, 0.2, 0.3, 0.4])])
        }
    }

    @Test func aFailedAttempt_dropsWhatItStaged() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            try await Self.prepare(api, key: key)
            let claim = try await waitForClaim(api, key: key, worker: "w")
            let task = try #require(claim["task_id"] as? String)
            let token = try #require(claim["fencing_token"] as? Int)
            #expect(try await Self.part(api, key: key, task: task, part: 0, token: token, chunks: [Self.chunk(0), Self.chunk(1)]).status == .ok)
            #expect(try await ChunkStore(store: api.store).staged(tenant: "acme", taskID: task, token: Int64(token)).chunks == 2)
            let failed = try await api.send(.post, "/v1/ingestion/tasks/\(task)/fail", key: key,
                                            body: #"{"fencing_token":\#(token),"error":"model down"}"#)
            #expect(failed.status == .ok, "\(String(buffer: failed.body))")
            #expect(try await ChunkStore(store: api.store).staged(tenant: "acme", taskID: task, token: Int64(token)).chunks == 0)
        }
    }

    @Test func badParts_areProblems_andNothingIsStaged() async throws {
        try await APITest.run(ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            try await Self.prepare(api, key: key)
            _ = try await api.send(.post, "/v1/indexes/kb/versions/1/tasks", key: key)
            let task = try #require(try await waitForClaim(api, key: key, worker: "w")["task_id"] as? String)
            let cases: [(String, String)] = [
                (Self.chunk(0, vector: "[0.1,0.2,0.3]"), "chunks[0].vector"),
                (Self.chunk(0, vector: "[0.1,0.2,0.3,1e6]"), "chunks[0].vector"),
                (Self.chunk(0, start: 0, end: 1_000), "chunks[0].start"),
                (Self.chunk(0) + "," + Self.chunk(0), "chunks"),
            ]
            for (chunks, field) in cases {
                let response = try await Self.part(api, key: key, task: task, part: 0, token: 1, chunks: [chunks])
                try expectProblem(response, .badRequest)
                #expect(String(buffer: response.body).contains(field), "\(String(buffer: response.body))")
            }
            let incomplete = try await api.send(.post, "/v1/ingestion/tasks/\(task)/complete", key: key, body: #"{"fencing_token":1}"#)
            try expectProblem(incomplete, .conflict)
            #expect(try json(incomplete)["type"] as? String == APIError.typeBase + "ingestion-parts-incomplete")
            try expectProblem(try await api.send(.put, "/v1/ingestion/tasks/not-a-task/parts/0", key: key, body: "{}"), .badRequest)
        }
    }

    @Test func aFullQueue_is429_andNothingIsWritten() async throws {
        try await APITest.run(ingestion: true, configure: { $0.maximumQueuedTasks = 1 }) { api in
            let key = try await api.issueKey(tenant: "acme")
            try await Self.prepare(api, key: key)
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "the first task in the read model") {
                let page = try json(try await api.get("/v1/ingestion/tasks?index=kb", key: key))
                return (page["tasks"] as? [Any])?.count == 1
            }
            // Queueing the same tasks again adds none: it fits.
            #expect(try await api.send(.post, "/v1/indexes/kb/versions/1/tasks", key: key).status == .ok)
            let full = try await api.send(.post, "/v1/indexes/kb/versions", key: key,
                                          body: #"{"embedding_model":"tiny-2","dimension":4,"metric":"l2","migrate_from":1}"#)
            try expectProblem(full, .tooManyRequests)
            #expect(full.headers[.retryAfter] == "5")
            #expect((try json(try await api.get("/v1/indexes/kb", key: key))["versions"] as? [Any])?.count == 1)
        }
    }

    /// Claims until the read model shows a task (it follows the log).
    private func waitForClaim(_ api: APITest, key: String, worker: String, leaseMs: Int = 60_000) async throws -> [String: Any] {
        var claimed: [String: Any] = [:]
        try await waitUntil(timeout: TestDatabase.horizonTimeout, "a task to claim") {
            let response = try await api.send(.post, "/v1/ingestion/claims", key: key,
                                              body: #"{"worker":"\#(worker)","lease_ms":\#(leaseMs)}"#)
            guard response.status == .ok else { return false }
            claimed = try json(response)
            return true
        }
        return claimed
    }
}
