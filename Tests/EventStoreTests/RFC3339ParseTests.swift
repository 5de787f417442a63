import EventStore
import Testing

@Suite struct RFC3339ParseTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0 as Int64),
        ("2026-11-22T08:02:05.019856Z", 1_795_334_525_019_856),
        ("2026-11-22T09:02:05.019856+01:00", 1_795_334_525_019_856),
        ("2026-11-22t08:02:05.0198569z", 1_795_334_525_019_856),
        ("2024-02-29T23:59:59.5Z", 1_709_251_199_500_000),
        ("1969-12-31T23:59:59.999999Z", -1),
    ])
    func parse_isExactToTheMicrosecond(text: String, micros: Int64) {
        #expect(RFC3339.parseMicros(text) == micros)
    }

    @Test(arguments: ["", "2026-11-22", "2026-02-30T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T08:02:05.Z",
                      "2026-11-22T08:02:05+0100", "2026-11-22T08:02:05", "2026-11-22 08:02:05Z"])
    func parse_refusesWhatIsNotRFC3339(text: String) {
        #expect(RFC3339.parseMicros(text) == nil)
    }

    @Test func formatThenParse_roundTrips() {
        for micros: Int64 in [0, 1, 999_999, 1_795_334_525_019_856, -86_400_000_001] {
            #expect(RFC3339.parseMicros(RFC3339.format(micros: micros)) == micros)
        }
    }
}
