import Foundation
import Synchronization

/// What this process's searches did since the last flush, per version and 10-second period:
/// searches, errors and latencies by ``SearchLatency`` bucket. Bounded: past
/// ``SearchTally/maximumEntries`` periods waiting (the database unreachable for long) the
/// oldest are dropped, and the drop is counted.
public final class SearchTally: Sendable {
    public struct Key: Hashable, Sendable {
        public let version: VersionKey
        /// The start of the 10-second period.
        public let period: Date
    }

    public struct Counts: Sendable, Equatable {
        public var searches: Int64 = 0
        public var errors: Int64 = 0
        public var latency = [Int64](repeating: 0, count: SearchLatency.buckets)

        mutating func add(_ other: Counts) {
            searches += other.searches
            errors += other.errors
            for index in latency.indices { latency[index] += other.latency[index] }
        }
    }

    public static let periodSeconds: Double = 10
    static let maximumEntries = 10_000
    private let entries = Mutex<[Key: Counts]>([:])
    private let dropped = Atomic<Int>(0)

    public init() {}

    /// Counts a search of `version` at `now` that answered in `seconds`, or failed.
    public func record(_ version: VersionKey, at now: Date, seconds: Double, failed: Bool) {
        let key = Key(version: version, period: Self.period(of: now))
        entries.withLock { entries in
            makeRoom(for: key, in: &entries)
            entries[key, default: Counts()].searches += 1
            if failed {
                entries[key, default: Counts()].errors += 1
            } else {
                entries[key, default: Counts()].latency[SearchLatency.bucket(seconds: seconds)] += 1
            }
        }
    }

    /// Takes everything counted so far.
    public func drain() -> [Key: Counts] {
        entries.withLock { entries in
            defer { entries = [:] }
            return entries
        }
    }

    /// Puts back what a flush could not write (added to what was counted meanwhile).
    public func restore(_ drained: [Key: Counts]) {
        entries.withLock { entries in
            for (key, counts) in drained {
                makeRoom(for: key, in: &entries)
                entries[key, default: Counts()].add(counts)
            }
        }
    }

    /// The start of the 10-second period `date` falls in.
    public static func period(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / periodSeconds).rounded(.down) * periodSeconds)
    }

    /// Periods dropped so far because the tally was full.
    public var droppedPeriods: Int { dropped.load(ordering: .relaxed) }

    /// Drops the oldest period when `key` is new and the tally is full.
    private func makeRoom(for key: Key, in entries: inout [Key: Counts]) {
        guard entries[key] == nil, entries.count >= Self.maximumEntries,
              let oldest = entries.keys.min(by: { $0.period < $1.period }) else { return }
        entries.removeValue(forKey: oldest)
        dropped.add(1, ordering: .relaxed)
    }
}
