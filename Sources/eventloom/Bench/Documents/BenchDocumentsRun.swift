import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The server half of `bench documents`: the server as a child process, HTTP clients here.
struct BenchDocumentsRun {
    let bench: BenchDocuments
    let scratch: ScratchDatabase
    let logger: Logger

    func run() async throws {
        let limit = try await PhysicalLimit(load: AppendLoad(writers: bench.writers, events: bench.writers * 500, batch: 1),
                                            scratch: scratch, logger: logger).measure()
        print(limit.report)
        let (server, http, _, adminKey) = try BenchHTTP.startServer(environment: [
            "EVENTLOOM_DATABASE_URL": scratch.libpqURL, "EVENTLOOM_LOG_LEVEL": "warning"])
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: bench.writers + 4)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await http.waitUntilUp(server)
            let api = DocumentBenchClient(baseURL: http.baseURL, key: adminKey, http: client)
            try await storage(api)
            try await writers(api, limit: limit)
        } catch {
            try? await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
    }

    /// `--edits` small edits of a 1 MB text: the bytes kept, and checkout by depth.
    private func storage(_ api: DocumentBenchClient) async throws {
        var lines = (0..<16_000).map { "Line \($0): a paragraph of the handbook, long enough to matter.\n" }
        try await api.create("big")
        var head = try await api.commit("big", lines.joined(), head: nil)
        var versions = [head]
        let start = ContinuousClock.now
        for edit in 1...bench.edits {
            lines[(edit * 7_919) % lines.count] = "Line edited \(edit): one word changed.\n"
            head = try await api.commit("big", lines.joined(), head: head)
            versions.append(head)
        }
        let elapsed = (ContinuousClock.now - start).seconds
        let size = lines.joined().utf8.count
        let stored = try await storedBytes()
        print(String(format: "storage:   %d small edits of a %.2f MB text stored in %.2f MB (%.2f MB for the first version; goal ≤ 3 MB); %.0f commits/s of 1 MB, one writer",
                     bench.edits, Double(size) / 1e6, Double(stored.total) / 1e6, Double(stored.first) / 1e6,
                     Double(bench.edits) / elapsed))
        // Depth 1: the first edit of 20 fresh documents; deep: the 20 newest versions. Each read once (not cached).
        var shallow: [String] = []
        for index in 0..<20 {
            try await api.create("shallow-\(index)")
            // Its own first line: content is deduplicated, and these must be stored anew.
            let root = try await api.commit("shallow-\(index)", "Document \(index)\n" + lines.joined(), head: nil)
            lines[index] = "Line \(index) changed once.\n"
            shallow.append(try await api.commit("shallow-\(index)", "Document \(index)\n" + lines.joined(), head: root))
        }
        let shallowTimes = try await api.checkoutTimes(shallow.enumerated().map { ("shallow-\($0.offset)", $0.element) })
        let deepTimes = try await api.checkoutTimes(versions.suffix(20).map { ("big", $0) })
        let (p50Shallow, p50Deep) = (Self.median(shallowTimes), Self.median(deepTimes))
        print(String(format: "checkout:  1 MB at depth 1: median %.2f ms; at depth %d-%d: median %.2f ms, %.2f× depth 1 (goal ≤ 2×)",
                     p50Shallow, bench.edits - 19, bench.edits, p50Deep, p50Deep / p50Shallow))
    }

    /// `--writers` clients committing small texts to one document, each on the head it read;
    /// then the same clients each on a document of its own.
    private func writers(_ api: DocumentBenchClient, limit: PhysicalLimit.Result) async throws {
        let hot = try await commitLoad(api, documents: (0..<bench.writers).map { _ in "hot" })
        let own = try await commitLoad(api, documents: (0..<bench.writers).map { "own-\($0)" })
        print(String(format: "writers:   %.0f commits/s on ONE document with %d writers (%d commits; %d refused on a moved head and retried with the current one)",
                     hot.perSecond, bench.writers, hot.commits, hot.retries))
        print(String(format: "           %.0f commits/s with each writer on its own document; one document %.2f× that; %.3f× the single-row INSERT limit",
                     own.perSecond, hot.perSecond / own.perSecond, own.perSecond / limit.rowsPerSecond))
    }

    /// Writer `w` commits to `documents[w]` for `--seconds`, retrying a moved head with the current one.
    private func commitLoad(_ api: DocumentBenchClient, documents: [String]) async throws
        -> (commits: Int, retries: Int, perSecond: Double)
    {
        var roots: [String: String] = [:]
        for id in Set(documents) {
            try await api.create(id)
            roots[id] = try await api.commit(id, "v0\n", head: nil)
        }
        let deadline = ContinuousClock.now + .seconds(bench.seconds)
        let start = ContinuousClock.now
        let counts = try await withThrowingTaskGroup(of: (commits: Int, retries: Int).self) { group in
            for (writer, id) in documents.enumerated() {
                let root = roots[id] ?? ""
                group.addTask {
                    var head = root
                    var (commits, retries) = (0, 0)
                    while ContinuousClock.now < deadline {
                        switch try await api.tryCommit(id, "writer \(writer) edit \(commits)\n", head: head) {
                        case .committed(let commit): head = commit; commits += 1
                        case .moved(let current): head = current; retries += 1
                        }
                    }
                    return (commits, retries)
                }
            }
            return try await group.reduce(into: (0, 0)) { $0.0 += $1.commits; $0.1 += $1.retries }
        }
        return (counts.0, counts.1, Double(counts.0) / (ContinuousClock.now - start).seconds)
    }

    private func storedBytes() async throws -> (total: Int64, first: Int64) {
        try await scratch.withClient { client in
            let rows = try await client.query("SELECT coalesce(sum(length(data)), 0)::int8, coalesce(max(length(data)) FILTER (WHERE depth = 0), 0)::int8 FROM document_contents")
            for try await (total, first) in rows.decode((Int64, Int64).self) { return (total, first) }
            return (0, 0)
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
