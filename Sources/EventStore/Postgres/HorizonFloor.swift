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
    /// The floor, and how many times it was forgotten.
    private let floor = Mutex<Reading>(Reading(value: 0, resets: 0))

    /// The floor as a read saw it before its query: what it filters on, and the count of
    /// resets that its result may raise the floor for.
    struct Reading: Sendable {
        let value: UInt64
        let resets: UInt64
        /// `value` as SQL text for `::xid8`.
        var sql: String { String(value) }
    }

    /// Read before sending a query whose result may raise the floor.
    func read() -> Reading { floor.withLock { $0 } }

    var value: UInt64 { read().value }

    /// Raises the floor to `horizon`, computed by a query sent when the floor read `seen`,
    /// unless the floor was forgotten since: that query may have run on the lost database.
    func raise(to horizon: UInt64, seen: Reading) {
        floor.withLock { floor in
            guard floor.resets == seen.resets, horizon > floor.value else { return }
            floor = Reading(value: horizon, resets: floor.resets)
        }
    }

    /// Forgets the floor: after the database was lost it may come back as another cluster
    /// (restored, failed over, created anew) whose transaction ids are lower.
    func reset() {
        floor.withLock { $0 = Reading(value: 0, resets: $0.resets &+ 1) }
    }
}
