import Foundation

/// Throughput and append latency of one benchmark run.
struct LoadResult: Sendable {
    let events: Int
    let elapsed: Duration
    /// Sorted, in milliseconds.
    let latencies: [Double]

    init(events: Int, elapsed: Duration, latencies: [Duration]) {
        self.events = events
        self.elapsed = elapsed
        self.latencies = latencies.map { $0.milliseconds }.sorted()
    }

    var eventsPerSecond: Double { Double(events) / elapsed.seconds }

    func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        return latencies[min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)]
    }

    var report: String {
        String(format: "eventloom: %.0f events/s (%d events in %.2f s, %d appends), append latency p50 %.2f ms, p99 %.2f ms",
               eventsPerSecond, events, elapsed.seconds, latencies.count, percentile(0.5), percentile(0.99))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1_000 }
}
