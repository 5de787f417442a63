/// The session that holds a leader lock: which process leads a role, as the database sees it.
public struct LeaderHolder: Sendable, Equatable {
    /// The backend's process id on the database server (`pg_stat_activity.pid`).
    public let pid: Int32
    /// Where the leading process connects from; nil for a Unix socket or when this role may not see it.
    public let clientAddress: String?
    /// How long its session has been idle (waiting for its next statement), in seconds.
    public let idleSeconds: Double?
}
