import Synchronization

/// A map of at most `capacity` entries for per-process caches: once full, the entries used
/// least recently (read or written) leave first.
public final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Storage {
        var entries: [Key: (value: Value, use: Int)] = [:]
        var uses = 0
    }

    private let storage = Mutex(Storage())
    /// The most entries kept.
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The value for `key`, counted as a use.
    public func value(for key: Key) -> Value? {
        storage.withLock { storage in
            guard let entry = storage.entries[key] else { return nil }
            storage.uses += 1
            storage.entries[key] = (entry.value, storage.uses)
            return entry.value
        }
    }

    /// The value for `key`, made by `make` (under the cache's lock) when there is none.
    public func value(for key: Key, orInsert make: () -> Value) -> Value {
        storage.withLock { storage in
            storage.uses += 1
            if let entry = storage.entries[key] {
                storage.entries[key] = (entry.value, storage.uses)
                return entry.value
            }
            let value = make()
            storage.entries[key] = (value, storage.uses)
            evictIfFull(&storage)
            return value
        }
    }

    public func set(_ value: Value, for key: Key) {
        storage.withLock { storage in
            storage.uses += 1
            storage.entries[key] = (value, storage.uses)
            evictIfFull(&storage)
        }
    }

    /// Forgets the value for `key`, if any.
    public func removeValue(for key: Key) {
        _ = storage.withLock { $0.entries.removeValue(forKey: key) }
    }

    public var count: Int { storage.withLock { $0.entries.count } }

    /// Past capacity, drops the least recently used tenth (at least one), so that eviction
    /// costs O(n log n) once per n/10 insertions.
    private func evictIfFull(_ storage: inout Storage) {
        guard storage.entries.count > capacity else { return }
        let excess = storage.entries.count - capacity + max(1, capacity / 10)
        let oldest = storage.entries.sorted { $0.value.use < $1.value.use }.prefix(excess).map(\.key)
        for key in oldest { storage.entries.removeValue(forKey: key) }
    }
}
