@testable import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import Testing

@Suite("Rollout analysis over HTTP") struct AnalysisAPITests {
    static let vectors = SearchAPITests.vectors(20, dimension: 4, seed: 9)

    /// Version 1 serving alone and version 2 ready, both over the same 20 vectors.
    static func twoVersions(_ api: APITest, key: String) async throws {
        try await SearchAPITests.index(api, key: key, tenant: "acme", vectors: vectors)
        try await SearchAPITests.build(api, key: key, tenant: "acme", vectors: vectors, version: 2)
        try await waitUntil(timeout: TestDatabase.horizonTimeout, "version 2 ready") {
            try json(try await api.send(.get, "/v1/indexes/kb/versions/2", key: key))["status"] as? String == "ready"
        }
    }

    /// Starts a rollout; returns the position of its event (for `consistent_with`).
    @discardableResult
    static func rollOut(_ api: APITest, key: String, _ body: String) async throws -> String {
        let started = try await api.send(.post, "/v1/indexes/kb/rollout", key: key, body: body)
        try #require(started.status == .ok, "\(String(buffer: started.body))")
        return try #require(try json(started)["position"] as? String)
    }

    /// The index's events once the rollout ended (rolled back or completed).
    static func waitForTheRolloutToEnd(_ api: APITest, key: String) async throws -> [RecordedEvent] {
        try await waitUntil(timeout: TestDatabase.horizonTimeout, "the rollout to end") {
            try json(try await api.send(.get, "/v1/indexes/kb", key: key))["rollout"] == nil
        }
        return try await api.store.readStream(tenant: "acme", stream: SearchIndex.stream("kb"))
    }

    @Test func searchesOnTheCanary_advanceTheSteps_untilTheRolloutCompletes() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            try await Self.twoVersions(api, key: key)
            let position = try await Self.rollOut(api, key: key, #"""
                {"canary":2,"steps":[50,100],"pause_seconds":0,"bounds":{"min_searches":5,"max_error_rate_increase":0.01},
                 "pinned_keys":["tester"]}
                """#)
            for _ in 0..<5 {
                let response = try await SearchAPITests.search(api, key: key, vector: Self.vectors[0], k: 3,
                                                                extra: #","routing_key":"tester","consistent_with":"\#(position)""#)
                #expect(try json(response)["version"] as? Int == 2, "\(String(buffer: response.body))")
            }
            let events = try await Self.waitForTheRolloutToEnd(api, key: key)
            #expect(events.last?.type == "IndexRolloutCompleted")
            #expect(events.last?.metadata.contains("eventloom:analysis") == true)
            let index = try json(try await api.send(.get, "/v1/indexes/kb", key: key))
            #expect((index["weights"] as? [[String: Any]])?.map { $0["version"] as? Int } == [2])
        }
    }

    @Test func errorsReportedForTheCanary_rollItBack_withTheFigures() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            try await Self.twoVersions(api, key: key)
            try await Self.rollOut(api, key: key, #"{"canary":2,"pause_seconds":3600,"bounds":{"min_searches":10,"max_error_rate_increase":0.01}}"#)
            // Another serving process reports what its searches did: 20 of 100 failed on the canary.
            try await api.store.client.query("""
                INSERT INTO search_figures (tenant_id, index_name, version, period, process_id, searches, errors, latency)
                VALUES ('acme', 'kb', 2, now(), 'elsewhere', 100, 20, array_fill(0::int8, ARRAY[64])),
                       ('acme', 'kb', 1, now(), 'elsewhere', 100, 0, array_fill(0::int8, ARRAY[64]))
                """)
            let events = try await Self.waitForTheRolloutToEnd(api, key: key)
            let rolledBack = try #require(events.last)
            #expect(rolledBack.type == "IndexRolloutRolledBack")
            #expect(rolledBack.metadata.contains("eventloom:analysis"))
            #expect(rolledBack.data.contains("error rate 0.2 against 0.0: more than 0.01 above"))
            #expect(rolledBack.data.contains("automatic"))
            let index = try json(try await api.send(.get, "/v1/indexes/kb", key: key))
            #expect((index["weights"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1])
        }
    }

    @Test func negativeFeedbackOnTheCanary_rollsItBack_andFeedbackCountsOncePerSearch() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            try await Self.twoVersions(api, key: key)
            try await Self.rollOut(api, key: key, #"{"canary":2,"pause_seconds":3600,"bounds":{"min_searches":3,"min_feedback_ratio":0.9}}"#)
            for version in [1, 2] {
                for _ in 0..<3 {
                    let found = try json(try await SearchAPITests.search(api, key: key, vector: Self.vectors[1], k: 2,
                                                                         extra: #","version":\#(version)"#))
                    let id = try #require(found["search_id"] as? String)
                    #expect(id.hasPrefix("\(version)."))
                    let body = #"{"search_id":"\#(id)","positive":\#(version == 1)}"#
                    let reported = try json(try await api.send(.post, "/v1/indexes/kb/feedback", key: key, body: body))
                    #expect(reported["recorded"] as? Bool == true)
                    let again = try json(try await api.send(.post, "/v1/indexes/kb/feedback", key: key, body: body))
                    #expect(again["recorded"] as? Bool == false)
                }
            }
            let events = try await Self.waitForTheRolloutToEnd(api, key: key)
            let rolledBack = try #require(events.last)
            #expect(rolledBack.type == "IndexRolloutRolledBack")
            #expect(rolledBack.data.contains("positive feedback 0.0 against 1.0: less than 0.9×"))
        }
    }

    @Test func badFeedback_isAProblem_andNothingIsRecorded() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            let other = try await api.issueKey(tenant: "globex")
            try await SearchAPITests.index(api, key: key, tenant: "acme", vectors: Self.vectors)
            let found = try json(try await SearchAPITests.search(api, key: key, vector: Self.vectors[0], k: 1))
            let id = try #require(found["search_id"] as? String)
            let parts = id.split(separator: ".").map(String.init)
            let forged = "\(parts[0]).\(UUID().uuidString.lowercased()).\(parts[2])"
            let cases: [(String, String, String, Int)] = [
                (key, "kb", #"{"search_id":"nonsense","positive":true}"#, 400),
                (key, "kb", #"{"search_id":"\#(forged)","positive":true}"#, 400),
                (key, "kb", #"{"search_id":"9.\#(parts[1]).\#(parts[2])","positive":true}"#, 400),
                (key, "kb", #"{"search_id":"\#(id)"}"#, 400),
                (key, "other", #"{"search_id":"\#(id)","positive":true}"#, 400),
                (other, "kb", #"{"search_id":"\#(id)","positive":true}"#, 400),
            ]
            for (caller, index, body, status) in cases {
                let response = try await api.send(.post, "/v1/indexes/\(index)/feedback", key: caller, body: body)
                #expect(response.status.code == status, "\(index) \(body): \(String(buffer: response.body))")
            }
            let rows = try await api.store.client.query("SELECT count(*)::int8 FROM search_feedback")
            for try await count in rows.decode(Int64.self) { #expect(count == 0) }
        }
    }
}


