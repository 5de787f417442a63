import Foundation

/// Calls and failures over a sliding window, in `OutcomeWindow.buckets` buckets of equal
/// width (so it holds at most that many entries whatever the traffic). A call counts in the
/// bucket of its own time; the bucket holding the window's start leaves with it, so the
/// window counts the calls of the last 19 to 20 buckets (between 95 % and 100 % of it).
public struct OutcomeWindow: Sendable, Equatable {
    /// Buckets a window is cut into.
    public static let buckets = 20

    /// Calls and failures of one bucket.
    public struct Counts: Sendable, Equatable {
        public var calls = 0
        public var failures = 0

        public init(calls: Int = 0, failures: Int = 0) {
            self.calls = calls
            self.failures = failures
        }
    }

    /// Counts by bucket number (time since 1970 divided by the bucket's width).
    private(set) var counts: [Int64: Counts] = [:]

    public init() {}

    /// The calls and failures in the window that ends at `now`.
    public func totals(window: TimeInterval, now: Date) -> Counts {
        let oldest = Self.bucket(now.addingTimeInterval(-window), window: window)
        return counts.reduce(into: Counts()) { total, entry in
            guard entry.key > oldest else { return }
            total.calls += entry.value.calls
            total.failures += entry.value.failures
        }
    }

    /// Counts a call at `at`, unless it is older than the window that ends at `now` (a late
    /// report) or later than `now`; drops the buckets that left the window.
    /// - Returns: whether it counted.
    @discardableResult
    public mutating func count(failed: Bool, at: Date, window: TimeInterval, now: Date) -> Bool {
        let oldest = Self.bucket(now.addingTimeInterval(-window), window: window)
        counts = counts.filter { $0.key > oldest }
        let bucket = Self.bucket(at, window: window)
        guard bucket > oldest, at <= now else { return false }
        counts[bucket, default: Counts()].calls += 1
        if failed { counts[bucket, default: Counts()].failures += 1 }
        return true
    }

    /// Takes `other`'s calls and failures out of this window, bucket by bucket (a model's
    /// calls leave the channel's window when the model's own breaker trips).
    public mutating func subtract(_ other: OutcomeWindow) {
        for (bucket, taken) in other.counts {
            guard var left = counts[bucket] else { continue }
            left.calls = max(0, left.calls - taken.calls)
            left.failures = max(0, min(left.calls, left.failures - taken.failures))
            counts[bucket] = left.calls == 0 ? nil : left
        }
    }

    /// Counted in whole microseconds, so that a time read back from the log (where a
    /// `Double` may differ in its last bit) falls in the bucket it was counted in.
    private static func bucket(_ date: Date, window: TimeInterval) -> Int64 {
        let width = max(Int64((window * 1_000_000 / Double(buckets)).rounded()), 1)
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        return micros >= 0 ? micros / width : (micros - width + 1) / width
    }
}
