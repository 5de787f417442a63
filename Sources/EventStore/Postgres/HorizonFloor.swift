import Synchronization

/// The highest log horizon this store has computed. A horizon stays valid once computed
/// (every transaction below it had ended, or could never append, as of that snapshot, and
/// every later snapshot sees what those committed), but one computation may come out lower
/// than an earlier one: a transaction that ends while the horizon is read is not proven
/// harmless, so it holds that one read back. Reads use the floor so that an event once
/// reported readable (``EventStore/isReadable(_:)``) is returned by every later read.
/// Only for statements that take their own snapshot after the floor was computed (every
/// store read does; a repeatable-read transaction begun earlier must not use it).
final class HorizonFloor: Sendable {
    private let floor = Mutex<UInt64>(0)

    var value: UInt64 { floor.withLock { $0 } }

    /// `floor` as SQL text for `::xid8`.
    var sql: String { String(value) }

    func raise(to horizon: UInt64) {
        floor.withLock { $0 = max($0, horizon) }
    }

    /// Forgets the floor: after the database was lost it may come back as another cluster
    /// (restored, failed over, created anew) whose transaction ids are lower.
    func reset() {
        floor.withLock { $0 = 0 }
    }
}
