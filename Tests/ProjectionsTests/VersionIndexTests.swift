import Domain
@testable import EventStore
@testable import Projections
import Testing
import VectorIndex

/// Of a document's tasks in a version, the one queued last is searched, whichever succeeds first.
@Suite struct VersionIndexTests {
    static let shape = VersionIndex.Shape(IndexVersionSpec(
        embeddingModel: "m", dimension: 2, metric: .l2, parameters: HNSWParameters(m: 8, efConstruction: 50, efSearch: 50, seed: 1),
        chunker: ChunkerConfiguration(), sources: [IndexSource(documentID: "d", ref: "main")]))

    static func task(_ id: String, document: String, commit: String, queuedAt position: Int64) -> VersionIndex.TaskRef {
        VersionIndex.TaskRef(id: id, documentID: document, commitID: commit, scope: "", committed: 2,
                             queued: Cursor(transaction: 1, position: position).description)
    }

    static func chunks(_ x: Float) -> [StoredChunk] {
        [StoredChunk(ordinal: 0, start: 0, end: 1, vector: [x, 0]), StoredChunk(ordinal: 1, start: 1, end: 2, vector: [x, 1])]
    }

    func commits(_ index: VersionIndex) throws -> Set<String> {
        Set(try index.search([0, 0], k: 10, keep: nil).map(\.commitID))
    }

    @Test func theTaskQueuedLater_isSearched_whicheverSucceedsFirst() throws {
        let inOrder = try VersionIndex(shape: Self.shape)
        try inOrder.add(task: Self.task("t1", document: "d", commit: "c1", queuedAt: 10), chunks: Self.chunks(1))
        try inOrder.add(task: Self.task("other", document: "e", commit: "e1", queuedAt: 11), chunks: Self.chunks(3))
        try inOrder.add(task: Self.task("t2", document: "d", commit: "c2", queuedAt: 20), chunks: Self.chunks(2))
        #expect(try commits(inOrder) == ["c2", "e1"])

        // The older content's success comes last: it is hidden at once, and c2 stays.
        let late = try VersionIndex(shape: Self.shape)
        try late.add(task: Self.task("t2", document: "d", commit: "c2", queuedAt: 20), chunks: Self.chunks(2))
        try late.add(task: Self.task("t1", document: "d", commit: "c1", queuedAt: 10), chunks: Self.chunks(1))
        #expect(try commits(late) == ["c2"])
        #expect(late.graph.deletedCount == 2)
        #expect(late.count == 4)

        // A saved catalog finds the serving task again: a third task replaces c2, not c1.
        let restored = VersionIndex(shape: Self.shape, graph: late.graph,
                                    catalog: .restored(tasks: late.snapshotCatalog().tasks, chunks: late.snapshotCatalog().chunks))
        try restored.add(task: Self.task("t3", document: "d", commit: "c3", queuedAt: 30), chunks: Self.chunks(4))
        #expect(try commits(restored) == ["c3"])
        #expect(restored.graph.deletedCount == 4)
    }

    @Test func aRefMovedBackToEmbeddedContent_makesItsTaskSearchedAgain() throws {
        let index = try VersionIndex(shape: Self.shape)
        try index.add(task: Self.task("t1", document: "d", commit: "c1", queuedAt: 10), chunks: Self.chunks(1))
        try index.add(task: Self.task("t2", document: "d", commit: "c2", queuedAt: 20), chunks: Self.chunks(2))
        #expect(index.servingCommit(of: "d") == "c2")
        index.repoint(taskID: "t1", documentID: "d", commitID: "c3", queued: Cursor(transaction: 1, position: 30).description)
        #expect(try commits(index) == ["c3"])
        #expect(index.servingCommit(of: "d") == "c3")
        #expect(index.graph.deletedCount == 2)
        // Another document's commit added to the task moves nothing.
        index.repoint(taskID: "t1", documentID: "e", commitID: "e1", queued: Cursor(transaction: 1, position: 40).description)
        #expect(try commits(index) == ["c3"])
        // A fold that adds the tasks in the same order with the same cursors ends the same.
        let folded = try VersionIndex(shape: Self.shape)
        for task in index.snapshotCatalog().tasks { try folded.add(task: task, chunks: Self.chunks(task.commitID == "c3" ? 1 : 2)) }
        #expect(try commits(folded) == ["c3"])
    }
}
