import Domain
import EventStore
import EventStoreTesting
import Foundation
import Logging
@testable import Projections
import Synchronization
import Testing

/// A model that keeps the streams of the events it was handed, in order.
final class StreamsSeen: ExternalReadModel {
    let seen = Mutex<[String]>([])

    func apply(_ events: [RecordedEvent]) async throws {
        seen.withLock { $0 += events.map(\.stream) }
    }

    func save(to folder: URL) throws {
        try JSONEncoder().encode(seen.withLock { $0 }).write(to: folder.appendingPathComponent("seen.json"))
    }

    func takeSaveDue() -> Bool { false }

    var streams: [String] { seen.withLock { $0 } }
}

struct StreamsSeenProjection: ExternalProjection {
    let name = "streams-seen"
    var version = 1
    var eventTypes: Set<String>? { [SearchIndexEvent.Kind.versionCreated.name] }

    func makeModel() -> StreamsSeen { StreamsSeen() }

    func loadModel(from folder: URL) throws -> StreamsSeen {
        let model = StreamsSeen()
        let seen = try JSONDecoder().decode([String].self, from: Data(contentsOf: folder.appendingPathComponent("seen.json")))
        model.seen.withLock { $0 = seen }
        return model
    }
}

/// The projection engine's read models outside PostgreSQL: their own checkpoint, each event
/// applied once, a side-by-side rebuild swapped in, a save loaded only by its version.
@Suite struct ExternalProjectionRunnerTests {
    static func createIndex(_ store: EventStore, _ n: Int) async throws -> Cursor {
        let spec = IndexVersionSpec(embeddingModel: "m", dimension: 4, metric: .l2, sources: [IndexSource(documentID: "d", ref: "main")])
        let outcome = try await CommandHandler(store: store, decider: SearchIndex.self).handle(
            .createVersion(index: "kb\(n)", spec: spec, migratingFrom: nil, by: "test", now: Date()),
            tenant: "acme", stream: SearchIndex.stream("kb\(n)"))
        return try #require(outcome.append?.lastCursor)
    }

    @Test func aRebuildIsSwappedIn_andEveryEventIsAppliedOnce_beforeAndAfter() async throws {
        try await TestDatabase.withStore { store in
            let runner = ExternalProjectionRunner(projection: StreamsSeenProjection(), store: store, directory: nil,
                                                  logger: Logger(label: "test.external"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await runner.run() }
                var last = Cursor.start
                for n in 0..<20 { last = try await Self.createIndex(store, n) }
                #expect(await runner.wait(for: last, timeout: TestDatabase.horizonTimeout))
                let before = runner.model
                #expect(before.streams == (0..<20).map { "index-kb\($0)" })

                #expect(runner.requestRebuild())
                for n in 20..<60 { last = try await Self.createIndex(store, n) }
                try await waitUntil(timeout: TestDatabase.horizonTimeout, "the rebuild swapped in") {
                    runner.model !== before && runner.rebuilding == nil
                }
                #expect(await runner.wait(for: last, timeout: TestDatabase.horizonTimeout))
                for n in 60..<70 { last = try await Self.createIndex(store, n) }
                #expect(await runner.wait(for: last, timeout: TestDatabase.horizonTimeout))
                #expect(runner.model.streams == (0..<70).map { "index-kb\($0)" }, "every event once, in order, in the swapped-in model")
                group.cancelAll()
            }
        }
    }

    @Test func aSave_isLoadedWithItsCheckpoint_onlyByTheSameVersion() async throws {
        try await TestDatabase.withStore { store in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("external-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let logger = Logger(label: "test.external")
            let first = ExternalProjectionRunner(projection: StreamsSeenProjection(), store: store, directory: directory, logger: logger)
            for n in 0..<3 { _ = try await Self.createIndex(store, n) }
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "three events applied") {
                try await first.apply(try await store.readLog(after: first.checkpoint))
                return first.model.streams.count == 3
            }
            await first.save(to: directory)

            let same = ExternalProjectionRunner(projection: StreamsSeenProjection(), store: store, directory: directory, logger: logger)
            await same.load(from: directory)
            #expect(same.checkpoint == first.checkpoint)
            #expect(same.model.streams.count == 3)
            // Applying what it covers again changes nothing: the engine skips it.
            try await same.apply(try await store.readLog(after: .start))
            #expect(same.model.streams.count == 3)

            var next = StreamsSeenProjection()
            next.version = 2
            let other = ExternalProjectionRunner(projection: next, store: store, directory: directory, logger: logger)
            await other.load(from: directory)
            #expect(other.checkpoint == .start)
            #expect(other.model.streams.isEmpty)
        }
    }
}
