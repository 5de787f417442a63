import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The server half of `bench search`: `serve` and `project` as child processes, HTTP
/// clients here.
struct BenchSearchRun {
    let bench: BenchSearch
    let data: SearchBenchData
    let library: SearchLibraryBaseline.Result
    let scratch: ScratchDatabase
    let folder: URL
    let logger: Logger

    /// Chunks a document (a task) carries, and a part.
    static let perTask = 10_000
    static let perPart = 1_000

    var environment: [String: String] {
        ["EVENTLOOM_DATABASE_URL": scratch.libpqURL, "EVENTLOOM_LOG_LEVEL": "warning",
         "EVENTLOOM_SEARCH_DIR": folder.path, "EVENTLOOM_INGESTION_QUEUE_LIMIT": "1000000"]
    }

    func run() async throws {
        let projections = try BenchChild(name: "project", arguments: ["project", "--only", "ingestion"], environment: environment)
        var (server, http, _, adminKey) = try BenchHTTP.startServer(environment: environment)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: max(bench.clients, bench.workers) + 4)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await http.waitUntilUp(server)
            let api = SearchBenchClient(baseURL: http.baseURL, key: adminKey, http: client)
            let tasks = try await prepare(api)
            try await ingest(api, tasks: tasks)
            try await recall(api)
            try await queryRate(api)
            await server.stop()
            (server, http, _, adminKey) = try BenchHTTP.startServer(environment: environment)
            try await restart(SearchBenchClient(baseURL: http.baseURL, key: adminKey, http: client), server: server)
            try await storage()
        } catch {
            try? await client.shutdown()
            await server.stop()
            await projections.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
        await projections.stop()
    }

    /// One document a task, version 1 of index `bench` over them, its tasks queued.
    private func prepare(_ api: SearchBenchClient) async throws -> Int {
        let tasks = (data.vectors.count + Self.perTask - 1) / Self.perTask
        var sources: [String] = []
        for task in 0..<tasks {
            try await api.send(.POST, "/v1/documents", #"{"id":"bench-\#(task)","title":"Bench \#(task)"}"#)
            try await api.send(.POST, "/v1/documents/bench-\(task)/commits",
                               #"{"expected_head":null,"content":"document \#(task)\n","mime_type":"text/plain"}"#)
            sources.append(#"{"document_id":"bench-\#(task)","ref":"main"}"#)
        }
        try await api.send(.POST, "/v1/indexes/bench/versions", """
            {"embedding_model":"bench","dimension":\(data.dimension),"metric":"cosine",
             "parameters":{"m":16,"ef_construction":200,"ef_search":64,"seed":100},"sources":[\(sources.joined(separator: ","))]}
            """)
        let queued = try await api.send(.POST, "/v1/indexes/bench/versions/1/tasks").json
        guard (queued["tasks"] as? [Any])?.count == tasks else { throw CommandFailure("queued \(queued)") }
        return tasks
    }

    /// `--workers` workers claim the tasks and upload their vectors in parts; then waits
    /// until the last vector is searchable.
    private func ingest(_ api: SearchBenchClient, tasks: Int) async throws {
        let start = ContinuousClock.now
        let done = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<bench.workers {
                group.addTask { try await work(api) }
            }
            return try await group.reduce(0, +)
        }
        guard done == tasks else { throw CommandFailure("\(done) of \(tasks) tasks completed") }
        let acknowledged = (ContinuousClock.now - start).seconds
        let last = data.vectors.count - 1
        let probe = #"{"vector":\#(SearchBenchClient.vectorJSON(data.vectors[last])),"k":1,"version":1}"#
        while true {
            let hits = try await api.search(probe)
            if let hit = hits.first, (hit["distance"] as? Double ?? 1) < 1e-3 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let searchable = (ContinuousClock.now - start).seconds
        let count = Double(data.vectors.count)
        print(String(format: "ingestion: %.0f vectors/s acknowledged over HTTP (%d workers, parts of %d); %.0f vectors/s until the last is searchable; the library adds %.0f/s: %.2f×",
                     count / acknowledged, bench.workers, Self.perPart, count / searchable, library.addsPerSecond,
                     count / searchable / library.addsPerSecond))
    }

    /// Claims tasks until none is left; the tasks it completed.
    private func work(_ api: SearchBenchClient) async throws -> Int {
        var completed = 0
        while true {
            let (status, claim) = try await api.send(.POST, "/v1/ingestion/claims", #"{"worker":"bench","lease_ms":600000,"index":"bench"}"#,
                                                     expecting: [200, 204])
            if status == 204 {
                // The read model may not show every queued task yet: stop only when the build is done or claimed.
                let build = try await api.send(.GET, "/v1/indexes/bench/versions/1/build").json
                if (build["queued"] as? Int ?? 0) == 0 { return completed }
                try await Task.sleep(for: .milliseconds(50))
                continue
            }
            guard let taskID = claim["task_id"] as? String, let token = claim["fencing_token"] as? Int,
                  let documentID = claim["document_id"] as? String, let task = Int(documentID.dropFirst("bench-".count)) else {
                throw CommandFailure("claim answered \(claim)")
            }
            let range = (task * Self.perTask)..<min((task + 1) * Self.perTask, data.vectors.count)
            for (part, first) in stride(from: range.lowerBound, to: range.upperBound, by: Self.perPart).enumerated() {
                let chunks = (first..<min(first + Self.perPart, range.upperBound)).map { label in
                    #"{"ordinal":\#(label - range.lowerBound),"start":0,"end":0,"text":"v\#(label)","vector":\#(SearchBenchClient.vectorJSON(data.vectors[label]))}"#
                }
                try await api.send(.PUT, "/v1/ingestion/tasks/\(taskID)/parts/\(part)",
                                   #"{"fencing_token":\#(token),"chunks":[\#(chunks.joined(separator: ","))]}"#)
            }
            try await api.send(.POST, "/v1/ingestion/tasks/\(taskID)/complete", #"{"fencing_token":\#(token)}"#)
            completed += 1
        }
    }

    /// A hit's label in the benchmark's numbering (document `bench-t`, ordinal o: t·perTask + o).
    private static func label(_ hit: [String: Any]) -> UInt64 {
        let task = Int((hit["document_id"] as? String ?? "").dropFirst("bench-".count)) ?? 0
        return UInt64(task * perTask + (hit["ordinal"] as? Int ?? 0))
    }

    private var queryBodies: [String] {
        data.queries.map { #"{"vector":\#(SearchBenchClient.vectorJSON($0)),"k":10,"version":1}"# }
    }

    private func recall(_ api: SearchBenchClient) async throws {
        var total = 0.0
        for (i, body) in queryBodies.enumerated() { total += data.recall(i, try await api.search(body).map(Self.label)) }
        let recall = total / Double(data.queries.count)
        print(String(format: "recall:    recall@10 %.3f over HTTP against exact search (goal ≥ 0.95); hnswlib in-process %.3f",
                     recall, library.recall))
    }

    private func queryRate(_ api: SearchBenchClient) async throws {
        let bodies = queryBodies
        let deadline = ContinuousClock.now + .seconds(bench.seconds)
        let start = ContinuousClock.now
        let answered = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<bench.clients {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        _ = try await api.search(bodies[(client + count * 7) % bodies.count])
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let rate = Double(answered) / (ContinuousClock.now - start).seconds
        print(String(format: "queries:   %.0f searches/s over HTTP with %d clients, k 10; hnswlib in-process %.0f/s: %.2f× (goal ≥ 0.5×)",
                     rate, bench.clients, library.queriesPerSecond, rate / library.queriesPerSecond))
    }

    /// From a new `serve` process's start to its first answered search (loaded from the folder).
    private func restart(_ api: SearchBenchClient, server: BenchChild) async throws {
        let start = ContinuousClock.now
        let probe = queryBodies[0]
        while true {
            try server.checkRunning()
            if let (status, json) = try? await api.send(.POST, "/v1/indexes/bench/search", probe, expecting: [200, 401, 503]),
               status == 200, (json["hits"] as? [Any])?.count == 10 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        print(String(format: "restart:   %.2f s from starting serve to the first answered search over %d vectors (loaded from its folder, then caught up)",
                     (ContinuousClock.now - start).seconds, data.vectors.count))
    }

    /// Bytes beside the log (the chunks) and in the read model's folder, per vector.
    private func storage() async throws {
        let chunks = try await scratch.withClient { client -> Int64 in
            let rows = try await client.query("SELECT pg_total_relation_size('ingestion_chunks')::int8")
            for try await bytes in rows.decode(Int64.self) { return bytes }
            return 0
        }
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey])?
            .compactMap { ($0 as? URL).flatMap { try? $0.resourceValues(forKeys: [.fileSizeKey]).fileSize } } ?? []
        let folderBytes = files.reduce(0, +)
        let count = Double(data.vectors.count)
        let raw = Double(data.dimension * 4)
        let perVector = (Double(chunks) + Double(folderBytes)) / count
        print(String(format: "storage:   %.0f bytes a vector beside the log (chunks, half precision, with their index) + %.0f in the search folder = %.0f; raw float32 %.0f: %.2f× (goal ≤ 2×)",
                     Double(chunks) / count, Double(folderBytes) / count, perVector, raw, perVector / raw))
    }
}
