import Domain
@testable import EventStore
import EventStoreTesting
import Foundation
import Testing

/// The chunk store on a real database: staged parts stay apart by token, only the holder's
/// are committed, and the commit refuses rows that are not what was summarised.
@Suite struct ChunkStoreTests {
    static let sha256 = String(repeating: "ab", count: 32)
    static let task = "kb:1:\(sha256)"

    /// A shared document's content with the task's hash: what staging requires.
    static func holdContent(_ store: EventStore) async throws {
        try await store.client.query("""
            INSERT INTO document_contents (tenant_id, scope, sha256, size, depth, data)
            VALUES ('acme', '', decode(\(sha256), 'hex'), 1, 0, '\\x00'::bytea)
            """)
    }

    @Test func stagingForContentNoDocumentHolds_isRefused() async throws {
        try await TestDatabase.withStore { store in
            let error = await #expect(throws: EventStoreError.self) {
                try await ChunkStore(store: store).stage(tenant: "acme", taskID: Self.task, token: 1, part: 0, chunks: Self.chunks(0..<1))
            }
            #expect(error?.code == .subjectErased)
        }
    }

    static func chunks(_ ordinals: Range<Int>, text: String = "chunk", dimension: Int = 4) -> [Chunk] {
        ordinals.map { i in
            Chunk(ordinal: i, start: i * 10, end: i * 10 + 5, text: "\(text) \(i)", metadata: ["page": "\(i / 2)"],
                  vector: (0..<dimension).map { Float($0 + i) / 8 })
        }
    }

    @Test func stagedParts_areCommittedWhole_andReadBackInHalfPrecision() async throws {
        try await TestDatabase.withStore { store in
            let chunks = ChunkStore(store: store)
            try await Self.holdContent(store)
            try await chunks.stage(tenant: "acme", taskID: Self.task, token: 1, part: 0, chunks: Self.chunks(0..<3))
            try await chunks.stage(tenant: "acme", taskID: Self.task, token: 1, part: 1, chunks: Self.chunks(3..<5))
            let summary = try await chunks.staged(tenant: "acme", taskID: Self.task, token: 1)
            #expect(summary.chunks == 5 && summary.isContiguous && summary.digest.count == 64)
            try await store.withTransaction {
                try await chunks.commit(tenant: "acme", taskID: Self.task, token: 1, scope: "", expected: summary, on: $0)
            }
            let stored = try await chunks.chunks(tenant: "acme", taskID: Self.task)
            #expect(stored.map(\.ordinal) == [0, 1, 2, 3, 4])
            #expect(stored[3].vector == HalfPrecision.rounded(Self.chunks(3..<4)[0].vector))
            #expect(stored[3].start == 30 && stored[3].end == 35)
            let texts = try await chunks.texts(tenant: "acme", of: [ChunkReference(taskID: Self.task, ordinal: 4)])
            #expect(texts == [ChunkReference(taskID: Self.task, ordinal: 4): "chunk 4"])
            #expect(try await chunks.texts(tenant: "other", of: [ChunkReference(taskID: Self.task, ordinal: 4)]).isEmpty)
            let left = try await chunks.staged(tenant: "acme", taskID: Self.task, token: 1)
            #expect(left.chunks == 0)
        }
    }

    @Test func aStaleTokensParts_areNeverCommitted() async throws {
        try await TestDatabase.withStore { store in
            let chunks = ChunkStore(store: store)
            try await Self.holdContent(store)
            try await chunks.stage(tenant: "acme", taskID: Self.task, token: 1, part: 0, chunks: Self.chunks(0..<4, text: "stale"))
            try await chunks.stage(tenant: "acme", taskID: Self.task, token: 2, part: 0, chunks: Self.chunks(0..<2, text: "fresh"))
            let summary = try await chunks.staged(tenant: "acme", taskID: Self.task, token: 2)
            #expect(summary.chunks == 2)
            try await store.withTransaction {
                try await chunks.commit(tenant: "acme", taskID: Self.task, token: 2, scope: "", expected: summary, on: $0)
            }
            let texts = try await chunks.texts(tenant: "acme", of: (0..<4).map { ChunkReference(taskID: Self.task, ordinal: $0) })
            #expect(texts.values.sorted() == ["fresh 0", "fresh 1"])
            #expect(try await chunks.staged(tenant: "acme", taskID: Self.task, token: 1).chunks == 0)
        }
    }

    @Test func aPartStagedAfterTheSummary_failsTheCommit_andNothingMoves() async throws {
        try await TestDatabase.withStore { store in
            let chunks = ChunkStore(store: store)
            try await Self.holdContent(store)
            try await chunks.stage(tenant: "acme", taskID: Self.task, token: 1, part: 0, chunks: Self.chunks(0..<2))
            let summary = try await chunks.staged(tenant: "acme", taskID: Self.task, token: 1)
            try await chunks.stage(tenant: "acme", taskID: Self.task, token: 1, part: 1, chunks: Self.chunks(2..<3))
            let error = await #expect(throws: EventStoreError.self) {
                try await store.withTransaction {
                    try await chunks.commit(tenant: "acme", taskID: Self.task, token: 1, scope: "", expected: summary, on: $0)
                }
            }
            #expect(error?.code == .concurrentChange)
            #expect(try await chunks.chunks(tenant: "acme", taskID: Self.task).isEmpty)
            #expect(try await chunks.staged(tenant: "acme", taskID: Self.task, token: 1).chunks == 3)
        }
    }

    @Test func stagingAChunkAgain_replacesIt() async throws {
        try await TestDatabase.withStore { store in
            let chunks = ChunkStore(store: store)
            try await Self.holdContent(store)
            try await chunks.stage(tenant: "acme", taskID: Self.task, token: 1, part: 0, chunks: Self.chunks(0..<2, text: "first"))
            let first = try await chunks.staged(tenant: "acme", taskID: Self.task, token: 1)
            try await chunks.stage(tenant: "acme", taskID: Self.task, token: 1, part: 0, chunks: Self.chunks(0..<2, text: "second"))
            let second = try await chunks.staged(tenant: "acme", taskID: Self.task, token: 1)
            #expect(second.chunks == 2 && second.digest != first.digest)
        }
    }
}
