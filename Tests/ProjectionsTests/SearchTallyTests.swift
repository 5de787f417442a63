import Foundation
@testable import Projections
import Testing

@Suite struct SearchTallyTests {
    let version = VersionKey(tenant: "acme", index: "kb", version: 2)

    @Test func latencyBuckets_growBy25Percent_andP99IsTheBucketOfThe99thSearch() {
        #expect(SearchLatency.bucket(seconds: 0) == 0)
        #expect(SearchLatency.bucket(seconds: 10e-6) == 0)
        #expect(SearchLatency.bucket(seconds: 12e-6) == 1)
        #expect(SearchLatency.bucket(seconds: 1_000) == SearchLatency.buckets - 1)
        var counts = [Int64](repeating: 0, count: SearchLatency.buckets)
        counts[SearchLatency.bucket(seconds: 0.001)] = 98      // 98 searches at 1 ms
        counts[SearchLatency.bucket(seconds: 0.050)] = 2       // 2 at 50 ms: the 99th is one of them
        let p99 = SearchLatency.p99Milliseconds(counts)
        #expect(p99 >= 50 && p99 < 50 * 1.25)
        #expect(SearchLatency.p99Milliseconds([Int64](repeating: 0, count: SearchLatency.buckets)) == 0)
    }

    @Test func tally_countsByPeriod_drainsOnce_andARestoreAddsBack() {
        let tally = SearchTally()
        let now = Date(timeIntervalSince1970: 1_000_005)
        tally.record(version, at: now, seconds: 0.001, failed: false)
        tally.record(version, at: now.addingTimeInterval(1), seconds: 0, failed: true)
        tally.record(version, at: now.addingTimeInterval(10), seconds: 0.002, failed: false)
        let drained = tally.drain()
        #expect(drained.count == 2)
        let first = drained[SearchTally.Key(version: version, period: Date(timeIntervalSince1970: 1_000_000))]
        #expect(first?.searches == 2)
        #expect(first?.errors == 1)
        #expect(first?.latency.reduce(0, +) == 1)
        #expect(tally.drain().isEmpty)
        tally.restore(drained)
        tally.record(version, at: now, seconds: 0.001, failed: false)
        #expect(tally.drain()[SearchTally.Key(version: version, period: Date(timeIntervalSince1970: 1_000_000))]?.searches == 3)
    }

    @Test func aFullTally_dropsItsOldestPeriod_andCountsTheDrop() {
        let tally = SearchTally()
        for period in 0...SearchTally.maximumEntries {
            tally.record(version, at: Date(timeIntervalSince1970: Double(period) * SearchTally.periodSeconds), seconds: 0.001, failed: false)
        }
        let drained = tally.drain()
        #expect(drained.count == SearchTally.maximumEntries)
        #expect(drained[SearchTally.Key(version: version, period: Date(timeIntervalSince1970: 0))] == nil)
        #expect(tally.droppedPeriods == 1)
    }
}
