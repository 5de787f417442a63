import Domain
import EventStore
import EventStoreTesting
import Foundation
import Logging
@testable import Projections
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// The search read model: a restart loads what was saved and catches up from its
/// position; folding the whole log again gives the same answers.
@Suite struct SearchReadModelTests {
    static let spec = IndexVersionSpec(embeddingModel: "m", dimension: 4, metric: .cosine,
                                       sources: [IndexSource(documentID: "handbook", ref: "main")])

    /// Commits a task of version 1 of `kb` whose content is `n`, with `count` chunks, the
    /// content held in `scope` ("" shared, else the subject whose private documents hold it).
    static func commitTask(_ store: EventStore, _ n: Int, count: Int, scope: String = "") async throws {
        let key = IngestionTaskKey(index: "kb", version: 1, contentSHA256: String(repeating: String(format: "%02x", n), count: 32))
        try await store.client.query("""
            INSERT INTO document_contents (tenant_id, scope, sha256, size, depth, data)
            VALUES ('acme', \(scope), decode(\(key.contentSHA256), 'hex'), 1, 0, '\\x00'::bytea)
            """)
        let target = IngestionTarget(documentID: "doc-\(n)", commitID: String(repeating: "ab", count: 32))
        let tasks = CommandHandler(store: store, decider: IngestionTask.self)
        _ = try await tasks.handle([.queue(key, target: target, contentSize: 100, maxAttempts: 3, now: t0),
                                    .claim(worker: "w", lease: 60, now: t0)], tenant: "acme", stream: IngestionTask.stream(key))
        let chunks = ChunkStore(store: store)
        let staged = (0..<count).map { i in
            Chunk(ordinal: i, start: i, end: i + 1, text: "c\(i)", vector: [Float(n), Float(i), 1, Float(i % 3)])
        }
        try await chunks.stage(tenant: "acme", taskID: key.id, token: 1, part: 0, chunks: staged)
        let summary = try await chunks.staged(tenant: "acme", taskID: key.id, token: 1)
        let result = IngestionResult(chunks: count, parts: 1, bytes: summary.bytes, dataSHA256: summary.digest, scope: scope)
        _ = try await tasks.handle([.complete(token: 1, result, now: t0)], tenant: "acme", stream: IngestionTask.stream(key),
                                   alongside: { try await chunks.commit(tenant: "acme", taskID: key.id, token: 1, scope: scope,
                                                                         expected: summary, on: $0) })
    }

    /// Applies the log until the version holds `vectors` (a commit reaches the readable
    /// log a moment after it returns).
    static func catchUp(_ model: SearchReadModel, _ store: EventStore, until vectors: Int) async throws {
        let key = VersionKey(tenant: "acme", index: "kb", version: 1)
        try await waitUntil(timeout: TestDatabase.horizonTimeout, "\(vectors) vectors applied") {
            try await model.apply(try await store.readLog(after: model.checkpoint))
            return model.vectorCount(key) == vectors
        }
    }

    @Test func aRestart_loadsFromDisk_andCatchesUp_andARebuildAnswersTheSame() async throws {
        try await TestDatabase.withStore { store in
            _ = try await CommandHandler(store: store, decider: SearchIndex.self).handle(
                .createVersion(index: "kb", spec: Self.spec, migratingFrom: nil, by: "test", now: t0),
                tenant: "acme", stream: SearchIndex.stream("kb"))
            try await Self.commitTask(store, 1, count: 40)
            try await Self.commitTask(store, 2, count: 30)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("search-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let logger = Logger(label: "test.search")
            let key = VersionKey(tenant: "acme", index: "kb", version: 1)
            let query: [Float] = [1, 5, 1, 2]

            let first = SearchReadModel(store: store, directory: directory, logger: logger)
            try await Self.catchUp(first, store, until: 70)
            let before = try first.search(key, vector: query, k: 10, now: Date())
            await first.save(to: directory)

            let restarted = SearchReadModel(store: store, directory: directory, logger: logger)
            await restarted.load(from: directory)
            #expect(restarted.checkpoint == first.checkpoint)
            #expect(restarted.index(tenant: "acme", name: "kb")?.versions.count == 1)
            #expect(try restarted.search(key, vector: query, k: 10, now: Date()) == before)
            #expect(try restarted.search(key, vector: query, k: 10, documents: ["doc-2"], now: Date()).allSatisfy { $0.documentID == "doc-2" })

            try await Self.commitTask(store, 3, count: 20)
            try await Self.catchUp(restarted, store, until: 90)

            let rebuilt = SearchReadModel(store: store, directory: nil, logger: logger)
            try await Self.catchUp(rebuilt, store, until: 90)
            for probe in [query, [3, 1, 1, 0], [2, 19, 1, 1]] as [[Float]] {
                #expect(try rebuilt.search(key, vector: probe, k: 10, now: Date()) == restarted.search(key, vector: probe, k: 10, now: Date()))
            }
            #expect(throws: SearchReadModelError.versionNotLoaded(VersionKey(tenant: "globex", index: "kb", version: 1))) {
                try rebuilt.search(VersionKey(tenant: "globex", index: "kb", version: 1), vector: query, k: 1, now: Date())
            }
        }
    }

    @Test func anErasure_rebuildsTheVersionWithoutTheSubjectsChunks_asAFoldOfTheLogDoes() async throws {
        try await TestDatabase.withStore { store in
            _ = try await CommandHandler(store: store, decider: SearchIndex.self).handle(
                .createVersion(index: "kb", spec: Self.spec, migratingFrom: nil, by: "test", now: t0),
                tenant: "acme", stream: SearchIndex.stream("kb"))
            try await Self.commitTask(store, 1, count: 40)
            try await Self.commitTask(store, 2, count: 30, scope: "u-1")
            try await Self.commitTask(store, 3, count: 20)
            let logger = Logger(label: "test.search")
            let key = VersionKey(tenant: "acme", index: "kb", version: 1)
            let live = SearchReadModel(store: store, directory: nil, logger: logger)
            try await Self.catchUp(live, store, until: 90)
            #expect(try live.search(key, vector: [2, 5, 1, 2], k: 20, now: t0).contains { $0.documentID == "doc-2" })

            _ = try await CommandHandler(store: store, decider: DataSubject.self)
                .erase(.erase(subjectID: "u-1", reason: "request", at: t0), tenant: "acme")
            try await Self.catchUp(live, store, until: 60)
            #expect(live.build(key)?.chunks == 60)

            let fresh = SearchReadModel(store: store, directory: nil, logger: logger)
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "the fold to reach the erasure") {
                try await fresh.apply(try await store.readLog(after: fresh.checkpoint))
                return fresh.checkpoint >= live.checkpoint
            }
            #expect(fresh.vectorCount(key) == 60)
            #expect(fresh.build(key)?.chunks == 60)
            for probe in [[2, 5, 1, 2], [1, 5, 1, 2], [3, 1, 1, 0]] as [[Float]] {
                let answer = try live.search(key, vector: probe, k: 20, now: t0)
                #expect(!answer.contains { $0.documentID == "doc-2" })
                #expect(answer == (try fresh.search(key, vector: probe, k: 20, now: t0)))
            }
        }
    }
}
