import EventStore
import Testing

@Suite struct BoundedCacheTests {
    @Test func pastItsCapacity_theLeastRecentlyUsedLeaveFirst_andAReadCountsAsUse() {
        let cache = BoundedCache<Int, String>(capacity: 10)
        for key in 0..<10 { cache.set("v\(key)", for: key) }
        #expect(cache.value(for: 0) == "v0")   // 0 is now the most recently used
        cache.set("v10", for: 10)              // past capacity: the oldest tenth (one) leaves, which is 1
        #expect(cache.count == 9 || cache.count == 10)
        #expect(cache.value(for: 1) == nil)
        #expect(cache.value(for: 0) == "v0" && cache.value(for: 10) == "v10")
        for key in 11..<1_000 { _ = cache.value(for: key) { "v\(key)" } }
        #expect(cache.count <= 10)
        #expect(cache.value(for: 999) == "v999")
    }
}
