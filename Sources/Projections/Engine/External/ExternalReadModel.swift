import EventStore
import Foundation

/// A read model held outside PostgreSQL: in the memory of each process that serves it, and
/// saved to a folder of its own (docs/projections.md, "Read models outside PostgreSQL").
/// ``ExternalProjectionRunner`` keeps its checkpoint, hands it each event once, saves and
/// loads it, and rebuilds it side by side; the model only folds events and writes itself.
public protocol ExternalReadModel: AnyObject, Sendable {
    /// Folds `events`, in cursor order, each after everything it was handed before (the
    /// runner never hands it an event again).
    func apply(_ events: [RecordedEvent]) async throws
    /// Writes everything it holds into `folder` (new and empty, its own).
    func save(to folder: URL) throws
    /// Whether what it applied makes a save due at once (it dropped data that the saved
    /// files still hold); asking clears it.
    func takeSaveDue() -> Bool
}

/// How to make and load an ``ExternalReadModel``: its name, its version (a saved copy of
/// another version is not loaded: the model is folded from the log again), and the event
/// types it applies.
public protocol ExternalProjection: Sendable {
    associatedtype Model: ExternalReadModel
    var name: String { get }
    var version: Int { get }
    /// The event types it applies; nil: every event.
    var eventTypes: Set<String>? { get }
    /// An empty model, before every event.
    func makeModel() -> Model
    /// The model ``ExternalReadModel/save(to:)`` wrote into `folder`.
    func loadModel(from folder: URL) throws -> Model
}
