import Domain
import EventStore
import EventStoreTesting
import Foundation
import Logging
import Projections
import ProjectionsTesting
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// The ingestion read model: each task's state, attempts and progress; what is claimable
/// at a time; and how a version's build stands.
@Suite struct IngestionProjectionTests {
    static func key(_ n: Int) -> IngestionTaskKey {
        IngestionTaskKey(index: "kb", version: 1, contentSHA256: String(repeating: String(format: "%02x", n), count: 32))
    }
    static let target = IngestionTarget(documentID: "handbook", commitID: String(repeating: "ab", count: 32))
    static let result = IngestionResult(chunks: 7, parts: 1, bytes: 100, dataSHA256: String(repeating: "cd", count: 32))

    @Test func tasks_byState_claimable_andTheVersionsProgress() async throws {
        try await TestDatabase.withDatabase { store, url in
            let tasks = CommandHandler(store: store, decider: IngestionTask.self)
            func run(_ n: Int, _ commands: [IngestionTaskCommand]) async throws -> Cursor {
                try await tasks.handle(commands, tenant: "acme", stream: IngestionTask.stream(Self.key(n))).append!.lastCursor
            }
            let queue = { (n: Int) in IngestionTaskCommand.queue(Self.key(n), target: Self.target, contentSize: 10, maxAttempts: 3, now: t0) }
            _ = try await run(1, [queue(1), .claim(worker: "w1", lease: 60, now: t0), .complete(token: 1, Self.result, now: t0 + 5)])
            _ = try await run(2, [queue(2), .claim(worker: "w2", lease: 60, now: t0)])
            _ = try await run(3, [queue(3), .claim(worker: "w3", lease: 60, now: t0),
                                  .fail(token: 1, error: "503", retryable: true, now: t0 + 1)])
            let last = try await run(4, [queue(4)])
            try await withRunner(IngestionProjection(), store, databaseURL: url) {
                try await waitUntilProjected(store, "ingestion", last)
            }
            let database = TenantDatabase(store: store, statementTimeout: .seconds(10), logger: Logger(label: "test"))
            try await database.queries(IngestionQueries.self, as: "acme") { queries in
                let done = try #require(try await queries.task(tenant: "acme", taskID: Self.key(1).id))
                #expect(done.status == "succeeded" && done.chunks == 7 && done.attempts == 1 && done.worker == nil)
                let failed = try #require(try await queries.task(tenant: "acme", taskID: Self.key(3).id))
                #expect(failed.status == "queued" && failed.lastError == "503" && failed.retryAt == t0 + 6)
                // At t0 + 10: task 4 (queued), task 3 (its backoff over); task 2's lease runs to t0 + 60.
                #expect(try await queries.claimable(tenant: "acme", index: "kb", version: 1, now: t0 + 10, limit: 10).sorted()
                        == [Self.key(3).id, Self.key(4).id])
                #expect(try await queries.claimable(tenant: "acme", index: nil, version: nil, now: t0 + 61, limit: 10).count == 3)
                #expect(try await queries.claimable(tenant: "acme", index: "other", version: nil, now: t0 + 61, limit: 10).isEmpty)
                let progress = try await queries.progress(tenant: "acme", index: "kb", version: 1)
                #expect(progress.succeeded == 1 && progress.claimed == 1 && progress.queued == 2 && progress.chunks == 7)
                #expect(try await queries.unfinished(tenant: "acme") == 3)
                #expect(try await queries.list(tenant: "acme", IngestionTaskFilter(status: "queued")).count == 2)
            }
        }
    }
}
