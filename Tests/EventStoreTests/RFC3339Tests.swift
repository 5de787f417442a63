@testable import EventStore
import Foundation
import Testing

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test func format_agreesWithFoundation_acrossCenturiesLeapDaysAndNegativeTimes() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        let samples: [Int64] = [0, -1, 951_782_400_000_000, 4_107_542_399_999_999, -2_208_988_800_000_001]
            + (0..<2000).map { _ in Int64.random(in: -6_000_000_000_000_000...6_000_000_000_000_000, using: &generator) }
        for micros in samples {
            let seconds = micros.floorDiv(1_000_000)
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))).dropLast()
                + String(format: ".%06lldZ", micros - seconds * 1_000_000)
            #expect(RFC3339.format(micros: micros) == expected, "\(micros)")
        }
    }
}

@Suite("Event ids as text")
struct UUIDTextTests {
    @Test func lowercaseString_isFoundationsFormLowercased() {
        for _ in 0..<1000 {
            let id = UUID()
            #expect(id.lowercaseString == id.uuidString.lowercased())
        }
    }
}
