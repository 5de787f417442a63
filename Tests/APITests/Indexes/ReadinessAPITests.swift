@testable import API
import EventStore
import EventStoreTesting
import Foundation
import Testing

@Suite("The readiness gate over HTTP") struct ReadinessAPITests {
    /// A serving process that beats but whose read model has applied nothing.
    static func addLaggingProcess(_ api: APITest, checkpoint: String = "0-0") async throws {
        try await api.store.client.query("""
            INSERT INTO search_processes (process_id, host, pid, checkpoint, started_at, seen_at)
            VALUES ('lagging', 'elsewhere', 1, \(checkpoint), now(), now() + interval '1 hour')
            ON CONFLICT (process_id) DO UPDATE SET checkpoint = excluded.checkpoint
            """)
    }

    static func build(_ api: APITest, key: String) async throws -> [String: Any] {
        let response = try await api.send(.get, "/v1/indexes/kb/versions/1/build", key: key)
        try #require(response.status == .ok, "\(String(buffer: response.body))")
        return try json(response)
    }

    @Test func aVersionIsReadyOnlyOnceEveryServingProcessLoadedIt() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            try await Self.addLaggingProcess(api)
            try await SearchAPITests.build(api, key: key, tenant: "acme", vectors: SearchAPITests.vectors(30, dimension: 4, seed: 3))

            // This process loads the 30 vectors; the lagging one has not: the gate holds.
            var processes: [[String: Any]] = []
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "this process to load the version") {
                let build = try await Self.build(api, key: key)
                processes = build["serving_processes"] as? [[String: Any]] ?? []
                return build["vectors"] as? Int == 30 && processes.contains { $0["process"] as? String != "lagging" && $0["loaded"] as? Bool == true }
            }
            #expect(processes.count == 2)
            #expect(processes.first { $0["process"] as? String == "lagging" }?["loaded"] as? Bool == false)
            try await Task.sleep(for: .seconds(3))   // three rounds of the reactor
            let waiting = try json(try await api.send(.get, "/v1/indexes/kb/versions/1", key: key))
            #expect(waiting["status"] as? String == "building")

            // The lagging process catches up: the reactor records the version ready, with the facts.
            try await Self.addLaggingProcess(api, checkpoint: "\(UInt64.max)-\(Int64.max)")
            var ready: [String: Any] = [:]
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "version 1 ready") {
                ready = try json(try await api.send(.get, "/v1/indexes/kb/versions/1", key: key))
                return ready["status"] as? String == "ready"
            }
            let readiness = try #require(ready["readiness"] as? [String: Any])
            #expect(readiness["tasks"] as? Int == 1)
            #expect(readiness["chunks"] as? Int == 30)
            #expect(readiness["vectors"] as? Int == 30)
            #expect(readiness["serving_processes"] as? Int == 2)
            #expect(readiness["processes_loaded"] as? Int == 2)
        }
    }

    @Test func aProcessNotSeenLatelyIsNotCounted() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            try await api.store.client.query("""
                INSERT INTO search_processes (process_id, host, pid, checkpoint, started_at, seen_at)
                VALUES ('gone', 'elsewhere', 1, '0-0', now() - interval '1 hour', now() - interval '1 minute')
                """)
            try await SearchAPITests.build(api, key: key, tenant: "acme", vectors: SearchAPITests.vectors(5, dimension: 4, seed: 4))
            var ready: [String: Any] = [:]
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "version 1 ready") {
                ready = try json(try await api.send(.get, "/v1/indexes/kb/versions/1", key: key))
                return ready["status"] as? String == "ready"
            }
            let readiness = try #require(ready["readiness"] as? [String: Any])
            #expect(readiness["serving_processes"] as? Int == 1)
            let gone = try await api.store.client.query("SELECT count(*)::int8 FROM search_processes WHERE process_id = 'gone'")
            for try await count in gone.decode(Int64.self) { #expect(count == 0) }
        }
    }

    @Test func aBuildsLiveStream_carriesItsTasksAndIndexEvents_untilReady() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            let port = try #require(api.client.port)
            var types: [String] = []
            var streams: Set<String> = []
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await SearchAPITests.build(api, key: key, tenant: "acme", vectors: SearchAPITests.vectors(5, dimension: 4, seed: 5))
                }
                try await waitUntil(timeout: TestDatabase.horizonTimeout, "version 1 created") {
                    try await api.send(.get, "/v1/indexes/kb/versions/1", key: key).status == .ok
                }
                try await SSEClient.read(port: port, path: "/v1/indexes/kb/versions/1/build/events?after=0-0", key: key) { item in
                    if case .event(_, let type, let data) = item {
                        types.append(type)
                        let object = try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]
                        streams.insert(object?["stream_id"] as? String ?? "")
                    }
                    return !types.contains("IndexVersionReady")
                }
                try await group.waitForAll()
            }
            #expect(types.first == "IndexVersionCreated")
            #expect(types.contains("IngestionTaskQueued"))
            #expect(types.contains("IngestionTaskClaimed"))
            #expect(types.contains("IngestionTaskSucceeded"))
            #expect(streams.allSatisfy { $0 == "index-kb" || $0.hasPrefix("ingest-kb:1:") }, "\(streams)")

            // One task's own stream.
            let task = try #require(streams.first { $0.hasPrefix("ingest-") }?.dropFirst("ingest-".count))
            var taskTypes: [String] = []
            try await SSEClient.read(port: port, path: "/v1/ingestion/tasks/\(task)/events?after=0-0", key: key) { item in
                if case .event(_, let type, _) = item { taskTypes.append(type) }
                return !taskTypes.contains("IngestionTaskSucceeded")
            }
            #expect(taskTypes.first == "IngestionTaskQueued")
            #expect(try await api.send(.get, "/v1/indexes/kb/versions/7/build/events", key: key).status == .notFound)
            let other = try await api.issueKey(tenant: "globex")
            #expect(try await api.send(.get, "/v1/indexes/kb/versions/1/build/events", key: other).status == .notFound)
        }
    }
}
