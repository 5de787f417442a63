import EventStore
import Foundation
import Logging

/// The search read model as the projection engine runs it: an ``ExternalProjection`` of
/// ``SearchModel``s, saved in the serving process's search directory.
public struct SearchProjection: ExternalProjection {
    public let name = "search"
    /// A saved copy of another version is not loaded: it is folded from the log again.
    public let version = 3
    public var eventTypes: Set<String>? { SearchModel.eventTypes }
    let store: EventStore
    let logger: Logger

    public init(store: EventStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func makeModel() -> SearchModel { SearchModel(store: store, logger: logger) }

    public func loadModel(from folder: URL) throws -> SearchModel {
        try SearchModel.load(from: folder, store: store, logger: logger)
    }
}
