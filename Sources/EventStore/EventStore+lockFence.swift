import Domain
import Foundation

extension EventStore {
    /// The guard of a write fenced by lock `resource`: `token` must be the grant in force
    /// at `now`, and the lock's stream must not move before the write commits (pass the
    /// result to ``CommandHandler``'s `guards`). A newer grant or a release between the
    /// check and the commit fails the append, and the next attempt finds the token stale.
    /// - Throws: ``Domain/LockError/unknown`` for a lock nothing was recorded about;
    ///   ``Domain/LockError/staleToken(presented:current:)`` when `token` is not in force.
    public func lockFence(tenant: String, resource: String, token: Int64, now: Date) async throws -> StreamAppend {
        let stream = Lock.stream(resource)
        let folded = try await state(of: Lock.self, tenant: tenant, stream: stream)
        try Lock.checkFence(token: token, state: folded.state, now: now)
        return StreamAppend(stream: stream, expected: .exact(folded.version), events: [])
    }
}
