import Domain
import EventStore
import Foundation
import Logging
import VectorIndex

/// Saving and loading the search model: its folder (the engine's `snapshot/`, beside the
/// manifest with the log position covered) holds the versions, each index's events, the
/// tasks not yet succeeded and the builds (`registry.json`), and per version its graph
/// (`<n>.graph`, hnswlib's format, with the hidden labels) and chunk catalog (`<n>.chunks`,
/// 24 bytes a chunk, and `<n>.tasks.json`, which tasks are replaced among them).
extension SearchModel {
    struct SavedRegistry: Codable {
        let versions: [SavedVersion]
        let indexes: [SavedIndex]
        let targets: [String: SavedTarget]
        let builds: [SavedBuild]
        let erasedScopes: [String]
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
        let queued: String
    }

    /// Writes the model into `folder` (searches go on meanwhile; the engine applies nothing
    /// to it until the save returns).
    public func save(to folder: URL) throws {
        let (versions, indexEvents, targets, builds, erasedScopes) = registrySnapshot()
        var saved: [SavedVersion] = []
        for (file, (key, index)) in versions.enumerated() {
            try index.graph.save(to: folder.appendingPathComponent("\(file).graph").path)
            let catalog = index.snapshotCatalog()
            try JSONEncoder().encode(catalog.tasks).write(to: folder.appendingPathComponent("\(file).tasks.json"))
            try catalog.chunks.withUnsafeBytes { Data($0) }.write(to: folder.appendingPathComponent("\(file).chunks"))
            saved.append(SavedVersion(key: key, shape: index.shape, file: file))
        }
        let registry = SavedRegistry(versions: saved,
                                     indexes: indexEvents.map { SavedIndex(key: $0.key, events: $0.value) },
                                     targets: targets.mapValues { SavedTarget(documentID: $0.target.documentID, commitID: $0.target.commitID,
                                                                               queued: $0.queued.description) },
                                     builds: builds.map { SavedBuild(key: $0.key, $0.value) }, erasedScopes: erasedScopes.sorted())
        try JSONEncoder().encode(registry).write(to: folder.appendingPathComponent("registry.json"))
    }

    /// The model ``save(to:)`` wrote into `folder`.
    /// - Throws: when a saved file is unreadable (the engine then folds the model from the
    ///   whole log).
    static func load(from folder: URL, store: EventStore, logger: Logger) throws -> SearchModel {
        let registry = try JSONDecoder().decode(SavedRegistry.self, from: Data(contentsOf: folder.appendingPathComponent("registry.json")))
        var versions: [VersionKey: VersionIndex] = [:]
        for saved in registry.versions {
            let graph = try HNSWIndex.load(from: folder.appendingPathComponent("\(saved.file).graph").path,
                                           metric: saved.shape.metric, dimension: saved.shape.dimension,
                                           efSearch: saved.shape.efSearch, seed: saved.shape.seed)
            let tasks = try JSONDecoder().decode([VersionIndex.TaskRef].self,
                                                 from: Data(contentsOf: folder.appendingPathComponent("\(saved.file).tasks.json")))
            let bytes = try Data(contentsOf: folder.appendingPathComponent("\(saved.file).chunks"))
            let chunks = bytes.withUnsafeBytes { Array($0.bindMemory(to: VersionIndex.ChunkRef.self)) }
            versions[saved.key] = VersionIndex(shape: saved.shape, graph: graph, catalog: .restored(tasks: tasks, chunks: chunks))
        }
        let model = SearchModel(store: store, logger: logger)
        try model.restore(versions: versions, indexEvents: Dictionary(uniqueKeysWithValues: registry.indexes.map { ($0.key, $0.events) }),
                          targets: try registry.targets.mapValues { saved in
                              guard let queued = Cursor(saved.queued) else { throw CocoaError(.fileReadCorruptFile) }
                              return QueuedTarget(target: IngestionTarget(documentID: saved.documentID, commitID: saved.commitID), queued: queued)
                          },
                          builds: Dictionary(registry.builds.map { ($0.key, $0.build) }, uniquingKeysWith: { $1 }),
                          erasedScopes: Set(registry.erasedScopes))
        logger.info("search model loaded", metadata: [
            "versions": "\(versions.count)", "vectors": "\(versions.values.reduce(0) { $0 + $1.count })",
        ])
        return model
    }
}
