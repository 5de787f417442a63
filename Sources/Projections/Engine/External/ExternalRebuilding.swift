import EventStore

/// What the API asks of a read model outside PostgreSQL that this process runs, whatever
/// its model: its name, and a side-by-side rebuild of this process's copy.
public protocol ExternalRebuilding: Sendable {
    var readModelName: String { get }
    /// - Returns: false when a rebuild is asked for or running already.
    func requestRebuild() -> Bool
}

extension ExternalProjectionRunner: ExternalRebuilding {
    public var readModelName: String { projection.name }
}
