import Foundation

/// The latency buckets search figures count in: bucket `i` holds latencies up to
/// 10 µs × 1.25^i, the last one everything above (about 12.7 s). Neighbouring bounds differ
/// by 25 %, so a p99 read from the counts is within 25 % of the true one.
public enum SearchLatency {
    public static let buckets = 64
    static let first = 10e-6
    static let factor = 1.25

    /// The bucket of a search that took `seconds`.
    public static func bucket(seconds: Double) -> Int {
        guard seconds > first else { return 0 }
        return min(buckets - 1, Int((log(seconds / first) / log(factor)).rounded(.up)))
    }

    /// The upper bound of bucket `index`, in seconds.
    public static func upperBound(_ index: Int) -> Double {
        first * pow(factor, Double(index))
    }

    /// The latency under which 99 % of the searches counted in `counts` finished, in
    /// milliseconds (the bound of the bucket the 99th percentile falls in); 0 without any.
    public static func p99Milliseconds(_ counts: [Int64]) -> Double {
        let total = counts.reduce(0, +)
        guard total > 0 else { return 0 }
        let rank = Int64((Double(total) * 0.99).rounded(.up))
        var seen: Int64 = 0
        for (index, count) in counts.enumerated() {
            seen += count
            if seen >= rank { return upperBound(index) * 1_000 }
        }
        return upperBound(counts.count - 1) * 1_000
    }
}
