import Foundation

extension Lock {
    /// Checks a guarded write's fencing token: it must be the grant in force at `now`. A
    /// holder paused past its time to live, or overtaken by a newer grant, is refused even
    /// if it still believes it holds the lock.
    /// - Throws: ``LockError/unknown`` for a lock nothing was recorded about;
    ///   ``LockError/staleToken(presented:current:)`` otherwise when `token` is not in force.
    public static func checkFence(token: Int64, state: LockState, now: Date) throws {
        guard state.isKnown else { throw LockError.unknown }
        let current = state.holder(at: now)?.token
        guard current == token else { throw LockError.staleToken(presented: token, current: current) }
    }
}
