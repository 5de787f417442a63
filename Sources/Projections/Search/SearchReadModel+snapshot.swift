import Domain
import EventStore
import Foundation
import VectorIndex

/// Saving and loading the search read model: `snapshot/` in its directory holds the log
/// position covered (`checkpoint`), the versions, each index's events and the tasks not
/// yet succeeded (`registry.json`), and per version its graph (`<n>.graph`, hnswlib's format) and chunk
/// catalog (`<n>.chunks`, 24 bytes a chunk, and `<n>.tasks.json`). A save writes
/// `snapshot.new/` and swaps it in by renames, so a crash leaves the old or the new one whole.
extension SearchReadModel {
    struct SavedRegistry: Codable {
        let checkpoint: String
        let versions: [SavedVersion]
        let indexes: [SavedIndex]
        let targets: [String: SavedTarget]
        /// Absent in a save from before builds were kept: such a save is not loaded.
        let builds: [SavedBuild]?
    }

    struct SavedBuild: Codable {
        let key: VersionKey
        let tasks: Int
        let tasksSucceeded: Int
        let chunks: Int
        let lastSuccess: String?

        init(key: VersionKey, _ build: VersionBuild) {
            self.key = key
            self.tasks = build.tasks
            self.tasksSucceeded = build.tasksSucceeded
            self.chunks = build.chunks
            self.lastSuccess = build.lastSuccess?.description
        }

        var build: VersionBuild {
            var build = VersionBuild()
            build.tasks = tasks
            build.tasksSucceeded = tasksSucceeded
            build.chunks = chunks
            build.lastSuccess = lastSuccess.flatMap(Cursor.init)
            return build
        }
    }

    struct SavedIndex: Codable {
        let key: IndexKey
        let events: [SavedIndexEvent]
    }

    struct SavedVersion: Codable {
        let key: VersionKey
        let shape: VersionIndex.Shape
        let file: Int
    }

    struct SavedTarget: Codable {
        let documentID: String
        let commitID: String
    }

    /// Writes the read model under `directory` (searches go on meanwhile; applying waits).
    func save(to directory: URL) throws {
        let files = FileManager.default
        let fresh = directory.appendingPathComponent("snapshot.new")
        try? files.removeItem(at: fresh)
        try files.createDirectory(at: fresh, withIntermediateDirectories: true)
        let (versions, indexEvents, targets, builds, checkpoint) = registrySnapshot()
        var saved: [SavedVersion] = []
        for (file, (key, index)) in versions.enumerated() {
            try index.graph.save(to: fresh.appendingPathComponent("\(file).graph").path)
            let catalog = index.snapshotCatalog()
            try JSONEncoder().encode(catalog.tasks).write(to: fresh.appendingPathComponent("\(file).tasks.json"))
            try catalog.chunks.withUnsafeBytes { Data($0) }.write(to: fresh.appendingPathComponent("\(file).chunks"))
            saved.append(SavedVersion(key: key, shape: index.shape, file: file))
        }
        let registry = SavedRegistry(checkpoint: checkpoint.description, versions: saved,
                                     indexes: indexEvents.map { SavedIndex(key: $0.key, events: $0.value) },
                                     targets: targets.mapValues { SavedTarget(documentID: $0.documentID, commitID: $0.commitID) },
                                     builds: builds.map { SavedBuild(key: $0.key, $0.value) })
        try JSONEncoder().encode(registry).write(to: fresh.appendingPathComponent("registry.json"))
        let current = directory.appendingPathComponent("snapshot")
        let old = directory.appendingPathComponent("snapshot.old")
        try? files.removeItem(at: old)
        if files.fileExists(atPath: current.path) { try files.moveItem(at: current, to: old) }
        try files.moveItem(at: fresh, to: current)
        try? files.removeItem(at: old)
        logger.info("search read model saved", metadata: ["checkpoint": "\(checkpoint)", "versions": "\(saved.count)"])
    }

    /// Loads what ``save(to:)`` wrote under `directory`, if anything.
    /// - Throws: when a saved file is unreadable or from an older format (the caller then
    ///   folds the read model from the whole log).
    func load(from directory: URL) throws {
        let files = FileManager.default
        var snapshot = directory.appendingPathComponent("snapshot")
        if !files.fileExists(atPath: snapshot.path) {
            snapshot = directory.appendingPathComponent("snapshot.old")   // a save stopped between its renames
            guard files.fileExists(atPath: snapshot.path) else { return }
        }
        let started = ContinuousClock.now
        let registry = try JSONDecoder().decode(SavedRegistry.self, from: Data(contentsOf: snapshot.appendingPathComponent("registry.json")))
        guard let checkpoint = Cursor(registry.checkpoint), let builds = registry.builds else {
            throw CocoaError(.fileReadCorruptFile)
        }
        var versions: [VersionKey: VersionIndex] = [:]
        for saved in registry.versions {
            let graph = try HNSWIndex.load(from: snapshot.appendingPathComponent("\(saved.file).graph").path,
                                           metric: saved.shape.metric, dimension: saved.shape.dimension,
                                           efSearch: saved.shape.efSearch, seed: saved.shape.seed)
            let tasks = try JSONDecoder().decode([VersionIndex.TaskRef].self,
                                                 from: Data(contentsOf: snapshot.appendingPathComponent("\(saved.file).tasks.json")))
            let bytes = try Data(contentsOf: snapshot.appendingPathComponent("\(saved.file).chunks"))
            let chunks = bytes.withUnsafeBytes { Array($0.bindMemory(to: VersionIndex.ChunkRef.self)) }
            versions[saved.key] = VersionIndex(shape: saved.shape, graph: graph, catalog: .init(tasks: tasks, chunks: chunks))
        }
        let targets = registry.targets.mapValues { IngestionTarget(documentID: $0.documentID, commitID: $0.commitID) }
        try restore(versions: versions, indexEvents: Dictionary(uniqueKeysWithValues: registry.indexes.map { ($0.key, $0.events) }),
                    targets: targets,
                    builds: Dictionary(builds.map { ($0.key, $0.build) }, uniquingKeysWith: { $1 }),
                    checkpoint: checkpoint)
        logger.notice("search read model loaded", metadata: [
            "checkpoint": "\(checkpoint)", "versions": "\(versions.count)",
            "vectors": "\(versions.values.reduce(0) { $0 + $1.count })", "took": "\(ContinuousClock.now - started)",
        ])
    }
}
