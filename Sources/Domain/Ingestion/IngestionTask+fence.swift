import Foundation

extension IngestionTask {
    /// Checks a worker's fencing token: it must be the claim in force at `now`. A worker
    /// paused past its lease, or overtaken by a newer claim, is refused even if it still
    /// believes it holds the task (its uploads are staged under its token and never
    /// committed).
    /// - Throws: ``IngestionTaskError/unknown`` for a task nothing was recorded about;
    ///   ``IngestionTaskError/finished(_:)`` for a finished one;
    ///   ``IngestionTaskError/staleToken(presented:current:)`` otherwise when `token` is not in force.
    public static func checkFence(token: Int64, state: IngestionTaskState, now: Date) throws {
        guard state.isKnown else { throw IngestionTaskError.unknown }
        if state.status == .succeeded || state.status == .deadLettered { throw IngestionTaskError.finished(state.status) }
        let current = state.holder(at: now)?.token
        guard current == token else { throw IngestionTaskError.staleToken(presented: token, current: current) }
    }
}
