import EventStore

/// A version's build as the search read model followed it from the task events: what the
/// readiness gate weighs besides the vectors the version's index holds.
public struct VersionBuild: Sendable, Equatable {
    /// Tasks queued for the version.
    public var tasks = 0
    public var tasksSucceeded = 0
    /// Chunks the succeeded tasks committed (their success events' count).
    public var chunks = 0
    /// The log position of the last success: a read model that applied it holds every
    /// chunk committed so far.
    public var lastSuccess: Cursor?

    public init() {}

    /// Whether every task queued succeeded (and there is one).
    public var tasksDone: Bool { tasks > 0 && tasksSucceeded == tasks }
}

/// A version still building whose tasks all succeeded, with the vectors this process's
/// index of it holds: a candidate for the readiness gate.
public struct BuiltVersion: Sendable, Equatable {
    public let key: VersionKey
    public let build: VersionBuild
    public let vectors: Int
}
