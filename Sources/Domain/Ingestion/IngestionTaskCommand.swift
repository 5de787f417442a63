import Foundation

/// What the API, a worker or a reactor asks of an ingestion task. Time comes in on the
/// command.
public enum IngestionTaskCommand: Sendable, Equatable {
    /// Queue the task for `target` (or add `target` to the task already queued).
    case queue(IngestionTaskKey, target: IngestionTarget, contentSize: Int, maxAttempts: Int, now: Date)
    /// Take the task for `lease` (a lease that ran out is recorded first).
    case claim(worker: String, lease: TimeInterval, now: Date)
    /// The holder's heartbeat: its progress, and its lease extended to `lease` from now.
    case reportProgress(token: Int64, chunks: Int, parts: Int, lease: TimeInterval, now: Date)
    /// The holder committed its uploaded parts.
    case complete(token: Int64, IngestionResult, now: Date)
    /// The holder gave up this attempt; not `retryable` dead-letters the task at once.
    case fail(token: Int64, error: String, retryable: Bool, now: Date)
    /// Record that the lease ran out, if it has by `now` (the expiry reactor).
    case expire(now: Date)
    /// Put a dead-lettered task back in the queue with its attempts reset.
    case requeue(by: String, now: Date)
}
