import Foundation

/// What happened to an ingestion task.
public enum IngestionTaskEvent: Sendable, Equatable {
    case queued(IngestionTaskKey, target: IngestionTarget, contentSize: Int, maxAttempts: Int, at: Date)
    /// Another document commit has the same content: the task embeds for it too.
    case targetAdded(IngestionTarget, at: Date)
    case claimed(IngestionClaim)
    case progressed(token: Int64, chunks: Int, parts: Int, leaseExpiresAt: Date, at: Date)
    case succeeded(token: Int64, IngestionResult, at: Date)
    /// The attempt failed; the task may be claimed again from `retryAt`.
    case failed(token: Int64, attempt: Int, error: String, retryAt: Date, at: Date)
    /// The holder's lease ran out; the task may be claimed again from `retryAt`.
    case leaseExpired(token: Int64, attempt: Int, retryAt: Date, at: Date)
    /// No attempt is left (or the failure was final): the task waits for an operator.
    case deadLettered(token: Int64, attempts: Int, lastError: String, at: Date)
    case requeued(by: String, at: Date)
}
