import Foundation

/// The embedding of one content (by SHA-256) into one index version, done by an external
/// worker that claims it with a lease and a fencing token (docs/indexes.md). The same
/// content queued again for the same version, from any document or commit, is the same
/// task: it is embedded once. Stream: `ingest-<index>:<version>:<content sha256>`.
public enum IngestionTask: Decider {
    public typealias Command = IngestionTaskCommand
    public typealias Event = IngestionTaskEvent
    public typealias State = IngestionTaskState

    public static let category = "ingest"
    public static let initialState = IngestionTaskState()

    /// The longest lease a claim or a progress report asks for.
    public static let maximumLease: TimeInterval = 3_600
    /// The most attempts a task may be given.
    public static let maximumAttempts = 20
    /// Attempts when the queuer does not say.
    public static let defaultAttempts = 5
    /// The first retry's delay; each later one doubles, up to ``maximumBackoff``.
    public static let baseBackoff: TimeInterval = 5
    public static let maximumBackoff: TimeInterval = 600
    /// The most document commits one task embeds for.
    public static let maximumTargets = 1_000
    /// The longest error a worker reports, in characters.
    public static let maximumErrorLength = 2_000

    /// The stream of the task `key`.
    public static func stream(_ key: IngestionTaskKey) -> String { "\(category)-\(key.id)" }

    /// How long a task waits after failed attempt `attempt` (1-based) before it may be
    /// claimed again: 5 s, 10 s, 20 s … up to 10 minutes.
    public static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        min(maximumBackoff, baseBackoff * pow(2, Double(max(attempt, 1) - 1)))
    }
}
