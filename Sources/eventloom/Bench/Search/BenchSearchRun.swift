import AsyncHTTPClient
import Domain
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The server half of `bench search`: `serve` and `project` as child processes, HTTP
/// clients here.
struct BenchSearchRun {
    let bench: BenchSearch
    let data: SearchBenchData
    let baseline: SearchLibraryBaseline
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
            let restarted = SearchBenchClient(baseURL: http.baseURL, key: adminKey, http: client)
            try await restart(restarted, server: server)
            try await storage()
            try await freshness(restarted)
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
        try await createVersion(api, documents: "bench", count: tasks)
        let queued = try await api.send(.POST, "/v1/indexes/bench/versions/1/tasks").json
        guard (queued["tasks"] as? [Any])?.count == tasks else { throw CommandFailure("queued \(queued)") }
        return tasks
    }

    /// `count` documents `<prefix>-<i>` of one commit each on `main`, and the next version of
    /// index `bench` over them (the benchmark's parameters).
    private func createVersion(_ api: SearchBenchClient, documents prefix: String, count: Int) async throws {
        var sources: [String] = []
        for document in 0..<count {
            try await api.send(.POST, "/v1/documents", #"{"id":"\#(prefix)-\#(document)","title":"\#(prefix) \#(document)"}"#)
            try await api.send(.POST, "/v1/documents/\(prefix)-\(document)/commits",
                               #"{"expected_head":null,"content":"\#(prefix) \#(document)\n","mime_type":"text/plain"}"#)
            sources.append(#"{"document_id":"\#(prefix)-\#(document)","ref":"main"}"#)
        }
        try await api.send(.POST, "/v1/indexes/bench/versions", """
            {"embedding_model":"bench","dimension":\(data.dimension),"metric":"cosine",
             "parameters":{"m":16,"ef_construction":200,"ef_search":\(bench.efSearch),"seed":100},"sources":[\(sources.joined(separator: ","))]}
            """)
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
        // Searchable: this process's index of the version holds every vector.
        var (held, changed) = (-1, ContinuousClock.now)
        while true {
            let vectors = try await api.send(.GET, "/v1/indexes/bench/versions/1/build").json["vectors"] as? Int ?? -1
            if vectors == data.vectors.count { break }
            if vectors != held {
                (held, changed) = (vectors, ContinuousClock.now)
            } else if ContinuousClock.now - changed > .seconds(60) {
                throw CommandFailure("the search read model held \(vectors) of \(data.vectors.count) vectors, unchanged for 60 s")
            }
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
                    #"{"ordinal":\#(label - range.lowerBound),"start":0,"end":0,"text":"v\#(label)","vector":"\#(Float32Base64.encode(data.vectors[label]))"}"#
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

    /// The queries' bodies, their vectors in base64 (the compact form) or as JSON numbers.
    private func queryBodies(base64: Bool = true) -> [String] {
        data.queries.map { query in
            let vector = base64 ? "\"\(Float32Base64.encode(query))\"" : SearchBenchClient.vectorJSON(query)
            return #"{"vector":\#(vector),"k":10,"version":1}"#
        }
    }

    private func recall(_ api: SearchBenchClient) async throws {
        var total = 0.0
        for (i, body) in queryBodies().enumerated() { total += data.recall(i, try await api.search(body).map(Self.label)) }
        let recall = total / Double(data.queries.count)
        print(String(format: "recall:    recall@10 %.3f over HTTP against exact search (goal ≥ 0.95); hnswlib in-process %.3f (ef_search %d both)",
                     recall, library.recall, bench.efSearch))
    }

    /// wrk's `--clients` connections search for `--seconds`, the vectors in base64, then as
    /// JSON numbers. The library's in-process rate is measured again just before and just
    /// after each run (the server idle), and each run is compared with the higher of the two
    /// (a shared machine's speed drifts within minutes). The page cache is flushed first, so
    /// that the writes of the ingestion do not share the measurements' cores.
    private func queryRate(_ api: SearchBenchClient) async throws {
        let wrk = WrkRun(baseURL: api.baseURL, connections: bench.clients)
        sync()
        var before = try await baseline.queryRate(library.index)
        for base64 in [true, false] {
            let bodies = queryBodies(base64: base64).map { "[=[" + $0 + "]=]" }.joined(separator: ",\n")
            let result = try await wrk.run(seconds: bench.seconds, prelude: "bodies = {\n\(bodies)\n}", request: """
                  return wrk.format("POST", "/v1/indexes/bench/search",
                    {["Authorization"] = "Bearer \(api.key)", ["Content-Type"] = "application/json"},
                    bodies[(counter * 7 + tid) % #bodies + 1])
                """)
            guard result.other == 0, result.ok > 0 else { throw CommandFailure("searches answered \(result.other) errors, \(result.ok) ok") }
            let after = try await baseline.queryRate(library.index)
            let rate = result.answeredPerSecond
            let inProcess = max(before, after)
            print("queries:   \(Int(rate)) searches/s over HTTP (wrk, \(bench.clients) connections, k 10, vectors \(base64 ? "in base64" : "as JSON numbers"), "
                  + "p50 \(result.p50), p99 \(result.p99)); hnswlib in-process \(Int(inProcess))/s (\(Int(before)) before, \(Int(after)) after): "
                  + String(format: "%.2f× (goal ≥ 0.5×)", rate / inProcess))
            before = after
        }
    }

    /// Documents of version 2, and their chunks, for the time from a task's completion being
    /// acknowledged to its chunks being searchable.
    static let freshDocuments = 200
    static let freshChunks = 20

    /// One worker embeds `freshDocuments` documents into version 2, one task at a time, while
    /// version 1 holds every vector; after each completion's acknowledgement it searches
    /// version 2, consistent with the completion, until the task's last chunk is the nearest hit.
    private func freshness(_ api: SearchBenchClient) async throws {
        try await createVersion(api, documents: "fresh", count: Self.freshDocuments)
        try await api.send(.POST, "/v1/indexes/bench/versions/2/tasks")
        var seconds: [Double] = []
        while seconds.count < Self.freshDocuments {
            let (status, claim) = try await api.send(.POST, "/v1/ingestion/claims", #"{"worker":"fresh","lease_ms":60000,"index":"bench","version":2}"#,
                                                     expecting: [200, 204])
            if status == 204 { try await Task.sleep(for: .milliseconds(20)); continue }
            guard let taskID = claim["task_id"] as? String, let token = claim["fencing_token"] as? Int,
                  let documentID = claim["document_id"] as? String, let document = Int(documentID.dropFirst("fresh-".count)) else {
                throw CommandFailure("claim answered \(claim)")
            }
            // Vectors of version 1's data, so that they are as clustered; each task's own.
            let vectors = (0..<Self.freshChunks).map { data.vectors[(document * Self.freshChunks + $0 * 7_919) % data.vectors.count] }
            let chunks = vectors.enumerated().map { ordinal, vector in
                #"{"ordinal":\#(ordinal),"start":0,"end":0,"text":"f\#(ordinal)","vector":"\#(Float32Base64.encode(vector))"}"#
            }
            try await api.send(.PUT, "/v1/ingestion/tasks/\(taskID)/parts/0", #"{"fencing_token":\#(token),"chunks":[\#(chunks.joined(separator: ","))]}"#)
            let completed = try await api.send(.POST, "/v1/ingestion/tasks/\(taskID)/complete", #"{"fencing_token":\#(token)}"#).json
            let acknowledged = ContinuousClock.now
            guard let position = completed["position"] as? String else { throw CommandFailure("complete answered \(completed)") }
            // k 50: with few --vectors, another task may hold the same vector.
            let probe = #"{"vector":"\#(Float32Base64.encode(vectors[Self.freshChunks - 1]))","k":50,"version":2,"consistent_with":"\#(position)"}"#
            let deadline = acknowledged + .seconds(30)
            while try await !api.search(probe).contains(where: {
                $0["document_id"] as? String == documentID && $0["ordinal"] as? Int == Self.freshChunks - 1
            }) {
                guard ContinuousClock.now < deadline else { throw CommandFailure("task \(taskID) not searchable 30 s after its completion") }
                try await Task.sleep(for: .milliseconds(1))
            }
            seconds.append((ContinuousClock.now - acknowledged).seconds)
        }
        let sorted = seconds.sorted()
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))] * 1_000 }
        print(String(format: "freshness: a completed task's chunks searchable %.1f ms (p50), %.1f ms (p99), %.1f ms (max) after the acknowledgement (%d tasks of %d chunks, one worker; goal p99 ≤ 1 s)",
                     percentile(0.5), percentile(0.99), sorted.last.map { $0 * 1_000 } ?? 0, Self.freshDocuments, Self.freshChunks))
    }

    /// From a new `serve` process's start to its first answered search (loaded from the folder).
    private func restart(_ api: SearchBenchClient, server: BenchChild) async throws {
        let start = ContinuousClock.now
        let probe = queryBodies()[0]
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
