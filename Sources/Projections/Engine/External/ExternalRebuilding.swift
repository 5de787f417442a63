import EventStore

/// What the API asks of a read model outside PostgreSQL that this process runs, whatever
/// its model: its name and where it stands, and a side-by-side rebuild of this process's copy.
public protocol ExternalRebuilding: Sendable {
    var readModelName: String { get }
    /// The version of the read model's code, its checkpoint, and the rebuild's when one runs.
    var externalStatus: ExternalStatus { get }
    /// - Returns: false when a rebuild is asked for or running already.
    func requestRebuild() -> Bool
}

/// Where this process's copy of a read model outside PostgreSQL stands.
public struct ExternalStatus: Sendable, Equatable {
    public let name: String
    public let version: Int
    /// The last event the copy in service reflects.
    public let checkpoint: Cursor
    /// The last event the copy being rebuilt beside it reflects; nil when none is.
    public let rebuilding: Cursor?
}

extension ExternalProjectionRunner: ExternalRebuilding {
    public var readModelName: String { projection.name }

    public var externalStatus: ExternalStatus {
        ExternalStatus(name: projection.name, version: projection.version, checkpoint: checkpoint, rebuilding: rebuilding)
    }
}
