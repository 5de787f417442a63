import Synchronization

/// The folded states of recently written streams of one store, so that a command folds only
/// the events after the version it holds (usually none) instead of the whole stream.
///
/// It is never trusted on its own: ``CommandHandler`` always reads the stream's events after
/// the cached version before deciding, and the append still names the version it decided
/// on, so a write from another process is folded in, never missed. Streams only grow, so a
/// state folded up to a version stays right for that version. Keep one cache per
/// store (per database): a cache shared by two databases would fold one's states into the
/// other's. Bounded by `capacity` in units of `weight` (e.g. bytes); the entries used
/// least recently (kept or read) leave first.
public final class StateCache<State: Sendable>: Sendable {
    private struct Key: Hashable {
        let tenant: String
        let stream: String
    }

    private struct Entry {
        var folded: FoldedState<State>
        var weight: Int
        /// Its place in `order`: older places of the key there are stale.
        var use: Int
    }

    private struct Storage {
        var entries: [Key: Entry] = [:]
        /// Keys by last use, oldest first; a key's older places are skipped.
        var order: [(key: Key, use: Int)] = []
        var head = 0
        var weight = 0
        var uses = 0
        /// The store's erasure epoch the entries were folded under.
        var erasureEpoch: UInt64 = 0

        mutating func touch(_ key: Key) {
            uses += 1
            entries[key]?.use = uses
            order.append((key, uses))
        }
    }

    private let storage = Mutex(Storage())
    private let capacity: Int
    private let weigh: @Sendable (State) -> Int

    /// - Parameters:
    ///   - capacity: the most total weight kept.
    ///   - weight: what one state costs (at least 1); a state heavier than `capacity` is not kept.
    public init(capacity: Int, weight: @escaping @Sendable (State) -> Int = { _ in 1 }) {
        self.capacity = max(1, capacity)
        self.weigh = weight
    }

    /// Drops every entry when the store has learnt of an erasure since they were kept
    /// (`epoch` is ``EventStore/erasureEpoch``): they may hold the erased subject's data.
    public func dropAll(before epoch: UInt64) {
        storage.withLock { storage in
            guard epoch > storage.erasureEpoch else { return }
            storage = Storage()
            storage.erasureEpoch = epoch
        }
    }

    /// The cached state of `stream`, if any.
    public func state(tenant: String, stream: String) -> FoldedState<State>? {
        let key = Key(tenant: tenant, stream: stream)
        return storage.withLock { storage in
            guard let folded = storage.entries[key]?.folded else { return nil }
            storage.touch(key)
            Self.compact(&storage)
            return folded
        }
    }

    /// Keeps `folded` unless a later version of the stream is cached already (an empty
    /// stream, version 0, is not worth keeping).
    public func keep(_ folded: FoldedState<State>, tenant: String, stream: String) {
        guard folded.version > 0 else { return }
        let weight = max(1, weigh(folded.state))
        guard weight <= capacity else { return forget(tenant: tenant, stream: stream) }
        let key = Key(tenant: tenant, stream: stream)
        storage.withLock { storage in
            if let existing = storage.entries[key] {
                guard existing.folded.version < folded.version else { return }
                storage.weight -= existing.weight
            }
            storage.entries[key] = Entry(folded: folded, weight: weight, use: 0)
            storage.weight += weight
            storage.touch(key)
            Self.evict(&storage, toFit: capacity)
        }
    }

    /// Drops the cached state of `stream`.
    public func forget(tenant: String, stream: String) {
        storage.withLock { storage in
            if let removed = storage.entries.removeValue(forKey: Key(tenant: tenant, stream: stream)) {
                storage.weight -= removed.weight
            }
        }
    }

    /// How many states and how much weight it holds.
    public var size: (states: Int, weight: Int) {
        storage.withLock { ($0.entries.count, $0.weight) }
    }

    private static func evict(_ storage: inout Storage, toFit capacity: Int) {
        while storage.weight > capacity, storage.head < storage.order.count {
            let (key, use) = storage.order[storage.head]
            storage.head += 1
            guard let entry = storage.entries[key], entry.use == use else { continue }
            storage.entries[key] = nil
            storage.weight -= entry.weight
        }
        compact(&storage)
    }

    /// Drops the places of `order` already passed, and the stale ones once they are most of it.
    private static func compact(_ storage: inout Storage) {
        if storage.head > 1_024, storage.head * 2 > storage.order.count {
            storage.order.removeFirst(storage.head)
            storage.head = 0
        }
        if storage.order.count - storage.head > 4 * max(storage.entries.count, 1_024) {
            storage.order = storage.order[storage.head...].filter { storage.entries[$0.key]?.use == $0.use }
            storage.head = 0
        }
    }
}
