@testable import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VectorIndex

@Suite("Search over HTTP") struct SearchAPITests {
    /// Deterministic vectors: `count` of `dimension` components from `seed`.
    static func vectors(_ count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
        var state = seed
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2_000) / 1_000 - 1
        }
        return (0..<count).map { _ in (0..<dimension).map { _ in next() } }
    }

    /// Index `kb` version 1 over document `handbook` in `tenant`, its one task committed
    /// with `vectors` (chunk i has vector i), ready and serving.
    static func index(_ api: APITest, key: String, tenant: String, vectors: [[Float]]) async throws {
        try await build(api, key: key, tenant: tenant, vectors: vectors)
        // No call makes it ready: the readiness reactor passes it through the gate from the facts.
        try await waitUntil(timeout: TestDatabase.horizonTimeout, "version 1 ready") {
            try json(try await api.send(.get, "/v1/indexes/kb/versions/1", key: key))["status"] as? String == "ready"
        }
        let activated = try await api.send(.post, "/v1/indexes/kb/activate", key: key, body: #"{"version":1}"#)
        try #require(activated.status == .ok, "\(String(buffer: activated.body))")
        // The read model routes by the index as it folded it: wait until it serves version 1.
        try await waitUntil(timeout: TestDatabase.horizonTimeout, "the index serving in the read model") {
            let response = try await search(api, key: key, vector: vectors[0], k: 1)
            return response.status == .ok
        }
    }

    /// Index `kb` version `version` over document `handbook` in `tenant` (created with
    /// version 1), its one task claimed and committed with `vectors` (chunk i has vector i)
    /// by a worker.
    static func build(_ api: APITest, key: String, tenant: String, vectors: [[Float]], version: Int = 1) async throws {
        if version == 1 {
            let document = try await DocumentClient.create(api, key: key)
            _ = try await document.commitID("text of \(tenant)\n", head: nil)
        }
        let created = try await api.send(.post, "/v1/indexes/kb/versions", key: key, body: """
            {"embedding_model":"m","dimension":\(vectors[0].count),"metric":"l2","parameters":{"ef_search":500},
             "sources":[{"document_id":"handbook","ref":"main"}]}
            """)
        try #require(created.status == .created, "\(String(buffer: created.body))")
        try #require(try json(created)["version"] as? Int == version)
        let queued = try json(try await api.send(.post, "/v1/indexes/kb/versions/\(version)/tasks", key: key))
        let task = try #require((queued["tasks"] as? [[String: Any]])?.first?["task_id"] as? String)
        var token = 0
        try await waitUntil(timeout: TestDatabase.horizonTimeout, "a task to claim") {
            let response = try await api.send(.post, "/v1/ingestion/claims", key: key,
                                              body: #"{"worker":"w","lease_ms":60000,"index":"kb","version":\#(version)}"#)
            guard response.status == .ok else { return false }
            token = try json(response)["fencing_token"] as? Int ?? 0
            return true
        }
        for start in stride(from: 0, to: vectors.count, by: 100) {
            let chunks = (start..<min(start + 100, vectors.count)).map { i in
                #"{"ordinal":\#(i),"start":0,"end":1,"text":"chunk \#(i)","vector":[\#(vectors[i].map { "\($0)" }.joined(separator: ","))]}"#
            }
            let part = try await api.send(.put, "/v1/ingestion/tasks/\(task)/parts/\(start / 100)", key: key,
                                          body: #"{"fencing_token":\#(token),"chunks":[\#(chunks.joined(separator: ","))]}"#)
            try #require(part.status == .ok, "\(String(buffer: part.body))")
        }
        let done = try await api.send(.post, "/v1/ingestion/tasks/\(task)/complete", key: key, body: #"{"fencing_token":\#(token)}"#)
        try #require(done.status == .ok, "\(String(buffer: done.body))")
    }

    static func search(_ api: APITest, key: String, vector: [Float], k: Int, extra: String = "") async throws -> TestResponse {
        try await api.send(.post, "/v1/indexes/kb/search", key: key,
                           body: #"{"vector":[\#(vector.map { "\($0)" }.joined(separator: ","))],"k":\#(k)\#(extra)}"#)
    }

    @Test func results_equalAnExactSearch_andNeverAnotherTenantsChunks() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let acme = try await api.issueKey(tenant: "acme")
            let globex = try await api.issueKey(tenant: "globex")
            let vectors = Self.vectors(300, dimension: 8, seed: 1)
            try await Self.index(api, key: acme, tenant: "acme", vectors: vectors)
            try await Self.index(api, key: globex, tenant: "globex", vectors: Self.vectors(5, dimension: 8, seed: 2))
            var exact = ExactIndex(metric: .l2, dimension: 8)
            for (i, vector) in vectors.enumerated() { exact.add(HalfPrecision.rounded(vector), label: UInt64(i)) }
            for query in Self.vectors(20, dimension: 8, seed: 3) {
                var hits: [[String: Any]] = []
                try await waitUntil(timeout: TestDatabase.horizonTimeout, "the chunks searchable") {
                    let response = try await Self.search(api, key: acme, vector: query, k: 10)
                    guard response.status == .ok else { return false }
                    hits = try json(response)["hits"] as? [[String: Any]] ?? []
                    return hits.count == 10
                }
                #expect(hits.map { $0["ordinal"] as? Int } == exact.search(query, k: 10).map { Int($0.label) })
                #expect(hits.allSatisfy { $0["document_id"] as? String == "handbook" })
                // The same vector in base64 float32 finds the same chunks at the same distances.
                let compact = try await api.send(.post, "/v1/indexes/kb/search", key: acme,
                                                 body: #"{"vector":"\#(Float32Base64.encode(query))","k":10}"#)
                let compactHits = try json(compact)["hits"] as? [[String: Any]] ?? []
                #expect(compactHits.map { $0["ordinal"] as? Int } == hits.map { $0["ordinal"] as? Int })
                #expect(compactHits.map { $0["distance"] as? Double } == hits.map { $0["distance"] as? Double })
            }
            // Globex's five chunks are all it ever gets back, whatever k.
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "globex searchable") {
                let response = try await Self.search(api, key: globex, vector: vectors[0], k: 50)
                guard response.status == .ok else { return false }
                return (try json(response)["hits"] as? [Any])?.count == 5
            }
            // A rebuild of this process's copy, side by side: the searches answer the same through it and after.
            let query = Self.vectors(1, dimension: 8, seed: 4)[0]
            let before = try json(try await Self.search(api, key: acme, vector: query, k: 10))["hits"] as? [[String: Any]]
            let rebuild = try await api.post("/v1/projections/search/rebuild", key: adminKey, body: "")
            #expect(rebuild.status == .accepted, "\(String(buffer: rebuild.body))")
            try expectProblem(try await api.post("/v1/projections/search/rebuild", key: acme, body: ""), .forbidden)
            for _ in 0..<5 {
                let during = try json(try await Self.search(api, key: acme, vector: query, k: 10))["hits"] as? [[String: Any]]
                #expect(during?.map { $0["ordinal"] as? Int } == before?.map { $0["ordinal"] as? Int })
            }
            // The projections list shows this process's copy, caught up once the rebuild is swapped in.
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "the search copy listed, caught up and rebuilt") {
                let list = try json(try await api.get("/v1/projections", key: acme))["projections"] as? [[String: Any]] ?? []
                guard let search = list.first(where: { $0["name"] as? String == "search" }) else { return false }
                #expect(search["scope"] as? String == "process")
                #expect(search["state"] as? String == "running")
                return search["lag_events"] as? Int == 0 && search["rebuild"] == nil
                    && (search["cursor"] as? String).flatMap(Cursor.init) != nil
            }
        }
    }

    @Test func badSearches_areProblems() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            try expectProblem(try await Self.search(api, key: key, vector: [1, 2], k: 1), .notFound)
            try await Self.index(api, key: key, tenant: "acme", vectors: Self.vectors(3, dimension: 4, seed: 1))
            try expectProblem(try await Self.search(api, key: key, vector: [1, 2], k: 1), .badRequest)
            try expectProblem(try await Self.search(api, key: key, vector: [1, 2, 3, 4], k: 0), .badRequest)
            try expectProblem(try await Self.search(api, key: key, vector: [1, 2, 3, 4], k: 1_001), .badRequest)
            try expectProblem(try await Self.search(api, key: key, vector: [1, 2, 3, 4], k: 1, extra: #","version":9"#), .notFound)
        }
    }
}
