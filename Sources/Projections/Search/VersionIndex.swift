import Domain
import EventStore
import Foundation
import NIOPosix
import Synchronization
import VectorIndex

/// One version's approximate-nearest-neighbour index and what each of its vectors is: the
/// chunk (task, ordinal, offsets) and the document commit it was embedded for. Labels are
/// given in the order chunks are applied (the log's), so a rebuild gives the same ones.
final class VersionIndex: Sendable {
    let shape: Shape
    let graph: HNSWIndex
    private let catalog: Mutex<Catalog>

    /// What the graph is built and searched with.
    struct Shape: Codable, Equatable {
        let metric: VectorMetric
        let dimension: Int
        let m: Int
        let efConstruction: Int
        let efSearch: Int
        let seed: Int

        init(_ spec: IndexVersionSpec) {
            self.metric = spec.metric
            self.dimension = spec.dimension
            self.m = spec.parameters.m
            self.efConstruction = spec.parameters.efConstruction
            self.efSearch = spec.parameters.efSearch
            self.seed = spec.parameters.seed
        }

        var parameters: HNSWParameters { HNSWParameters(m: m, efConstruction: efConstruction, efSearch: efSearch, seed: seed) }
    }

    struct Catalog {
        var tasks: [TaskRef] = []
        var chunks: [ChunkRef] = []
        /// The task each document is searched by (of its tasks, the one queued last), by document id.
        var serving: [String: Int32] = [:]

        /// A saved catalog, with the task serving each document found again.
        static func restored(tasks: [TaskRef], chunks: [ChunkRef]) -> Catalog {
            var catalog = Catalog(tasks: tasks, chunks: chunks)
            for (slot, task) in tasks.enumerated() where !task.replaced && !task.documentID.isEmpty {
                catalog.serving[task.documentID] = Int32(slot)
            }
            return catalog
        }
    }

    struct TaskRef: Codable {
        let id: String
        let documentID: String
        /// The commit it embeds for its document (the last one added to it, when its ref moved back).
        var commitID: String
        /// Whose personal data its chunks are ("" for shared content).
        let scope: String
        /// The chunks its success event counted (0 once its scope was erased).
        let committed: Int
        /// Where the task was queued in the log (`Cursor` text), or where its document's
        /// ref last moved back to its content: of two tasks for one document, the one queued
        /// later is searched (its ref moved to it).
        var queued: String
        /// Its first chunk's label; its chunks' labels run on from it.
        var firstLabel = 0
        var labels = 0
        /// A task queued later for its document is searched instead: its chunks are hidden.
        var replaced = false

        var labelRange: Range<Int> { firstLabel..<(firstLabel + labels) }

        init(id: String, documentID: String, commitID: String, scope: String, committed: Int, queued: String) {
            self.id = id
            self.documentID = documentID
            self.commitID = commitID
            self.scope = scope
            self.committed = committed
            self.queued = queued
        }

        /// Queued after `other` (a task queued before any cursor was recorded counts as first).
        func queuedAfter(_ other: TaskRef) -> Bool {
            switch (Cursor(queued), Cursor(other.queued)) {
            case (let mine?, let theirs?): mine > theirs
            case (.some, nil): true
            default: false
            }
        }
    }

    struct ChunkRef: Codable {
        let task: Int32
        let ordinal: Int32
        let start: Int64
        let end: Int64
    }

    init(shape: Shape, graph: HNSWIndex, catalog: Catalog = Catalog()) {
        self.shape = shape
        self.graph = graph
        self.catalog = Mutex(catalog)
    }

    convenience init(shape: Shape) throws {
        let graph = try HNSWIndex(metric: shape.metric, dimension: shape.dimension, parameters: shape.parameters)
        self.init(shape: shape, graph: graph)
    }

    /// Vectors in the index.
    var count: Int { catalog.withLock { $0.chunks.count } }

    /// Adds a task's chunks (their vectors as stored), labelled after the ones before. The
    /// vectors go in first and the catalog after: a failure half-way leaves labels no search
    /// names, which adding the task again replaces.
    /// Of a document's tasks, only the one queued last is searched: the chunks of the other
    /// are hidden (marked deleted), whichever succeeds first.
    func add(task: TaskRef, chunks: [StoredChunk]) throws {
        let first = count
        for (offset, chunk) in chunks.enumerated() { try graph.add(chunk.vector, label: UInt64(first + offset)) }
        let hidden = catalog.withLock { catalog -> Range<Int>? in
            var task = task
            task.firstLabel = first
            task.labels = chunks.count
            task.replaced = false
            catalog.tasks.append(task)
            let slot = Int32(catalog.tasks.count - 1)
            catalog.chunks += chunks.map { ChunkRef(task: slot, ordinal: Int32($0.ordinal), start: Int64($0.start), end: Int64($0.end)) }
            return Self.settle(slot, in: &catalog)
        }
        // A label hidden already (it cannot be otherwise) is no failure: the catalog has changed.
        for label in hidden ?? 0..<0 { try? graph.markDeleted(UInt64(label)) }
    }

    /// ``add(task:chunks:)`` on NIO's blocking-work pool: inserting a task's vectors into the
    /// graph takes milliseconds to seconds of CPU, which must not hold a thread that serves
    /// requests (in `serve`, Swift's tasks run on NIO's event loops).
    func addAside(task: TaskRef, chunks: [StoredChunk]) async throws {
        try await NIOThreadPool.singleton.runIfActive { try self.add(task: task, chunks: chunks) }
    }

    /// Task `taskID`, whose chunks are added, embeds its document's `commitID` again (the
    /// ref moved back to its content, at `queued`): it is searched for the document again,
    /// and the task that was is hidden. Nothing happens for a task of another document.
    func repoint(taskID: String, documentID: String, commitID: String, queued: String) {
        let change = catalog.withLock { catalog -> (show: Range<Int>, hide: Range<Int>)? in
            guard let slot = catalog.tasks.lastIndex(where: { $0.id == taskID }), catalog.tasks[slot].documentID == documentID else {
                return nil
            }
            let wasHidden = catalog.tasks[slot].replaced
            catalog.tasks[slot].commitID = commitID
            catalog.tasks[slot].queued = queued
            catalog.tasks[slot].replaced = false
            var hide = 0..<0
            if let current = catalog.serving[documentID], current != Int32(slot) {
                catalog.tasks[Int(current)].replaced = true
                hide = catalog.tasks[Int(current)].labelRange
            }
            catalog.serving[documentID] = Int32(slot)
            return (wasHidden ? catalog.tasks[slot].labelRange : 0..<0, hide)
        }
        guard let change else { return }
        // As in `add`: a label already in the state asked for is no failure.
        for label in change.hide { try? graph.markDeleted(UInt64(label)) }
        for label in change.show { try? graph.unmarkDeleted(UInt64(label)) }
    }

    /// The commit the version searches `documentID` by; nil when it holds no task of it.
    func servingCommit(of documentID: String) -> String? {
        catalog.withLock { catalog in catalog.serving[documentID].map { catalog.tasks[Int($0)].commitID } }
    }

    /// Settles which of task `slot` and the task serving its document is searched: the one
    /// queued later. - Returns: the labels of the other, to hide.
    private static func settle(_ slot: Int32, in catalog: inout Catalog) -> Range<Int>? {
        let task = catalog.tasks[Int(slot)]
        guard !task.documentID.isEmpty else { return nil }
        guard let current = catalog.serving[task.documentID] else {
            catalog.serving[task.documentID] = slot
            return nil
        }
        let loser = task.queuedAfter(catalog.tasks[Int(current)]) ? current : slot
        if loser == current { catalog.serving[task.documentID] = slot }
        catalog.tasks[Int(loser)].replaced = true
        return catalog.tasks[Int(loser)].labelRange
    }

    /// The `k` nearest chunks to `vector` that `keep` accepts, nearest first. Without a
    /// filter the graph is asked for `k`; with one, for more, doubling until `k` pass or
    /// every vector was looked at.
    func search(_ vector: [Float], k: Int, keep: ((ChunkHit) -> Bool)?) throws -> [ChunkHit] {
        let total = count
        var fetch = keep == nil ? k : min(total, max(4 * k, 64))
        while true {
            let neighbours = try graph.search(vector, k: max(fetch, 1))
            let hits = catalog.withLock { catalog in neighbours.compactMap { hit(for: $0, in: catalog) } }
            guard let keep else { return hits }
            let kept = hits.filter(keep)
            if kept.count >= k || fetch >= total { return Array(kept.prefix(k)) }
            fetch = min(total, fetch * 2)
        }
    }

    private func hit(for neighbour: Neighbour, in catalog: Catalog) -> ChunkHit? {
        guard neighbour.label < UInt64(catalog.chunks.count) else { return nil }
        let chunk = catalog.chunks[Int(neighbour.label)]
        let task = catalog.tasks[Int(chunk.task)]
        return ChunkHit(taskID: task.id, ordinal: Int(chunk.ordinal), documentID: task.documentID, commitID: task.commitID,
                         start: Int(chunk.start), end: Int(chunk.end), distance: neighbour.distance)
    }

    /// This index without the chunks of the tasks of `scope` (a data subject being erased),
    /// built side by side; nil when none of its tasks is of that scope. Those chunks are
    /// marked deleted in this index at once, so searches stop finding them before the new
    /// one is swapped in. The others are read again from `store` and added in the same order,
    /// with the same labels a fold of the log after the erasure gives (erased tasks keep
    /// their place with no chunk, replaced ones are hidden again), so the graph equals a rebuild's.
    /// - Returns: the new index and the chunks the erased tasks had committed.
    func erasing(scope: String, tenant: String, store: ChunkStore) async throws -> (index: VersionIndex, chunks: Int)? {
        guard !scope.isEmpty else { return nil }
        let catalog = snapshotCatalog()
        let erased = Set(catalog.tasks.indices.filter { catalog.tasks[$0].scope == scope })
        guard !erased.isEmpty else { return nil }
        for (label, chunk) in catalog.chunks.enumerated()
        where erased.contains(Int(chunk.task)) && !catalog.tasks[Int(chunk.task)].replaced {
            try graph.markDeleted(UInt64(label))
        }
        let rebuilt = try VersionIndex(shape: shape)
        var erasedChunks = 0
        for (slot, task) in catalog.tasks.enumerated() {
            if erased.contains(slot) {
                erasedChunks += task.committed
                try rebuilt.add(task: TaskRef(id: task.id, documentID: task.documentID, commitID: task.commitID, scope: task.scope,
                                              committed: 0, queued: task.queued), chunks: [])
            } else {
                try await rebuilt.addAside(task: task, chunks: try await store.chunks(tenant: tenant, taskID: task.id))
            }
        }
        return (rebuilt, erasedChunks)
    }

    /// The catalog, for a snapshot.
    func snapshotCatalog() -> Catalog { catalog.withLock { $0 } }
}
