@testable import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Indexes over HTTP") struct IndexesAPITests {
    static let version = #"{"embedding_model":"minilm-l6","dimension":384,"metric":"cosine","sources":[{"document_id":"handbook","ref":"main"}]}"#

    /// Passes version `number` of `index` through its gate, as the ingestion side will.
    static func markReady(_ api: APITest, tenant: String, index: String, _ number: Int) async throws {
        let readiness = IndexReadiness(tasks: 1, tasksSucceeded: 1, chunks: 10, vectors: 10, servingProcesses: 1, processesLoaded: 1)
        _ = try await CommandHandler(store: api.store, decider: SearchIndex.self)
            .handle(.markReady(version: number, readiness: readiness, now: Date()), tenant: tenant, stream: SearchIndex.stream(index))
    }

    @Test func createVersions_activate_rollOut_abort() async throws {
        try await APITest.run(ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            let first = try await api.send(.post, "/v1/indexes/kb-main/versions", key: key, body: Self.version)
            #expect(first.status == .created)
            let created = try json(first)
            #expect(created["version"] as? Int == 1 && created["status"] as? String == "building")
            #expect((created["parameters"] as? [String: Any])?["ef_construction"] as? Int == 200)
            let building = try await api.send(.post, "/v1/indexes/kb-main/activate", key: key, body: #"{"version":1}"#)
            try expectProblem(building, .conflict)
            #expect(try json(building)["type"] as? String == APIError.typeBase + "index-version-status")

            try await Self.markReady(api, tenant: "acme", index: "kb-main", 1)
            let activated = try json(try await api.send(.post, "/v1/indexes/kb-main/activate", key: key, body: #"{"version":1}"#))
            #expect(activated["stable"] as? Int == 1)
            let migrated = try await api.send(.post, "/v1/indexes/kb-main/versions", key: key,
                                              body: #"{"embedding_model":"bge-small","dimension":384,"metric":"cosine","migrate_from":1}"#)
            #expect(migrated.status == .created)
            let second = try json(migrated)
            #expect(second["version"] as? Int == 2 && second["migrated_from"] as? Int == 1)
            #expect((second["sources"] as? [[String: Any]])?.first?["document_id"] as? String == "handbook")
            try await Self.markReady(api, tenant: "acme", index: "kb-main", 2)

            let rollout = try await api.send(.post, "/v1/indexes/kb-main/rollout", key: key,
                                             body: #"{"canary":2,"steps":[10,50,100],"pause_seconds":60,"pinned_keys":["qa"]}"#)
            #expect(rollout.status == .ok)
            let rolling = try json(rollout)
            #expect((rolling["weights"] as? [[String: Any]])?.map { $0["percent"] as? Int } == [10, 90])
            #expect((rolling["rollout"] as? [String: Any])?["step"] as? Int == 1)
            let pinned = try json(try await api.get("/v1/indexes/kb-main/routing?key=qa", key: key))
            #expect(pinned["version"] as? Int == 2 && pinned["pinned"] as? Bool == true)

            let aborted = try json(try await api.send(.post, "/v1/indexes/kb-main/rollout/abort", key: key,
                                                      body: #"{"reason":"odd answers"}"#))
            #expect(aborted["rollout"] == nil || aborted["rollout"] is NSNull)
            #expect((aborted["weights"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1])
            let shown = try await api.get("/v1/indexes/kb-main", key: key)
            #expect(shown.status == .ok && shown.headers[.eTag] != nil)
            #expect((try json(shown)["versions"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test func anEvaluationBelowItsBound_rollsTheCanaryBack_withoutAnotherCall() async throws {
        try await APITest.run(ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            for number in 1...2 {
                _ = try await api.send(.post, "/v1/indexes/kb/versions", key: key, body: Self.version)
                try await Self.markReady(api, tenant: "acme", index: "kb", number)
            }
            _ = try await api.send(.post, "/v1/indexes/kb/activate", key: key, body: #"{"version":1}"#)
            _ = try await api.send(.post, "/v1/indexes/kb/versions/1/evaluations", key: key,
                                   body: #"{"queries":200,"k":10,"recall_at_k":0.97,"mrr":0.8}"#)
            _ = try await api.send(.post, "/v1/indexes/kb/rollout", key: key,
                                   body: #"{"canary":2,"bounds":{"max_recall_drop":0.02}}"#)
            let evaluated = try json(try await api.send(.post, "/v1/indexes/kb/versions/2/evaluations", key: key,
                                                        body: #"{"queries":200,"k":10,"recall_at_k":0.90,"mrr":0.7}"#))
            #expect((evaluated["weights"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1])
            let events = try await api.store.readStream(tenant: "acme", stream: SearchIndex.stream("kb"))
            let rolledBack = try #require(events.last)
            #expect(rolledBack.type == "IndexRolloutRolledBack")
            #expect(rolledBack.data.contains("recall@10 0.9 against 0.97"))
            #expect(rolledBack.data.contains("automatic"))
        }
    }

    @Test func badInput_isAProblem_andNothingIsWritten() async throws {
        try await APITest.run(ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            let cases: [(String, String, HTTPResponse.Status)] = [
                ("/v1/indexes/kb/versions", #"{"embedding_model":"m","dimension":384,"metric":"hamming","sources":[{"document_id":"d","ref":"main"}]}"#, .badRequest),
                ("/v1/indexes/kb/versions", #"{"embedding_model":"m","dimension":0,"metric":"l2","sources":[{"document_id":"d","ref":"main"}]}"#, .badRequest),
                ("/v1/indexes/kb/versions", #"{"embedding_model":"m","dimension":8,"metric":"l2","sources":[]}"#, .badRequest),
                ("/v1/indexes/bad%20name/versions", Self.version, .badRequest),
                ("/v1/indexes/kb/activate", #"{"version":1}"#, .notFound),
                ("/v1/indexes/kb/traffic", #"{"weights":[{"version":1,"percent":60}]}"#, .badRequest),
                ("/v1/indexes/kb/rollout/promote", "{}", .notFound),
            ]
            for (uri, body, status) in cases {
                let response = try await api.send(.post, uri, key: key, body: body)
                try expectProblem(response, status)
            }
            #expect(try await api.store.count(tenant: "acme", stream: SearchIndex.stream("kb")) == 0)
            try expectProblem(try await api.get("/v1/indexes/kb", key: key), .notFound)

            _ = try await api.send(.post, "/v1/indexes/kb/versions", key: key, body: Self.version)
            try expectProblem(try await api.get("/v1/indexes/kb/versions/9", key: key), .notFound)
            try expectProblem(try await api.send(.post, "/v1/indexes/kb/rollout/promote", key: key, body: "{}"), .conflict)
            try expectProblem(try await api.get("/v1/indexes/kb/routing?key=u1", key: key), .conflict)
            try expectProblem(try await api.send(.post, "/v1/indexes/kb/versions/1/evaluations", key: key,
                                                 body: #"{"queries":10,"k":0,"recall_at_k":0.5,"mrr":0.5}"#), .badRequest)
            #expect(try await api.store.count(tenant: "acme", stream: SearchIndex.stream("kb")) == 1)
        }
    }

    @Test func anotherTenant_seesNoIndex() async throws {
        try await APITest.run(ingestion: true) { api in
            let acme = try await api.issueKey(tenant: "acme")
            let globex = try await api.issueKey(tenant: "globex")
            _ = try await api.send(.post, "/v1/indexes/kb/versions", key: acme, body: Self.version)
            try expectProblem(try await api.get("/v1/indexes/kb", key: globex), .notFound)
        }
    }
}
