import Synchronization

/// The folded states of recently written streams of one store, so that a command folds only
/// the events after the version it holds (usually none) instead of the whole stream.
///
/// It is never trusted on its own: ``CommandHandler`` always reads the stream's events after
/// the cached version before deciding, and the append still names the version it decided
/// on, so a write from another process is folded in, never missed. Streams only grow, so a
/// state folded up to a version stays right for that version. Keep one cache per
/// store (per database): a cache shared by two databases would fold one's states into the
/// other's. Bounded by `capacity` in units of `weight` (e.g. events per state); the
/// oldest entries leave first.
public final class StateCache<State: Sendable>: Sendable {
    private struct Key: Hashable {
        let tenant: String
        let stream: String
    }

    private struct Entry {
        let folded: FoldedState<State>
        let weight: Int
    }

    private struct Storage {
        var entries: [Key: Entry] = [:]
        /// Keys in the order they were first cached (some may have left).
        var order: [Key] = []
        var head = 0
        var weight = 0
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

    /// The cached state of `stream`, if any.
    public func state(tenant: String, stream: String) -> FoldedState<State>? {
        storage.withLock { $0.entries[Key(tenant: tenant, stream: stream)]?.folded }
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
            } else {
                storage.order.append(key)
            }
            storage.entries[key] = Entry(folded: folded, weight: weight)
            storage.weight += weight
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
            let key = storage.order[storage.head]
            storage.head += 1
            if let removed = storage.entries.removeValue(forKey: key) { storage.weight -= removed.weight }
        }
        // Forgotten keys linger in `order` until passed; compact once they are most of it.
        if storage.head > 1_024, storage.head * 2 > storage.order.count {
            storage.order.removeFirst(storage.head)
            storage.head = 0
        }
        if storage.order.count > 4 * max(storage.entries.count, 1_024) {
            storage.order = storage.order.filter { storage.entries[$0] != nil }
            storage.head = 0
        }
    }
}
