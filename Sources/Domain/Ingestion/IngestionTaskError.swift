import Foundation

/// The rules an ingestion task command can break.
public enum IngestionTaskError: Error, Equatable, Sendable {
    /// Nothing was ever recorded about this task.
    case unknown
    /// Another worker holds the task until `until`.
    case claimed(worker: String, until: Date)
    /// The task waits out its backoff until `until`.
    case notDue(until: Date)
    /// The task succeeded or was dead-lettered.
    case finished(IngestionTaskState.Status)
    /// A report named fencing token `presented`, but the claim in force is `current`
    /// (nil: nobody holds the task).
    case staleToken(presented: Int64, current: Int64?)
    /// The task is in `status`, which the command cannot act on.
    case wrongStatus(IngestionTaskState.Status)
    case invalid(field: String, reason: String)
}
