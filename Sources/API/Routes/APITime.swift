import EventStore
import Foundation

/// Times a client sends and receives: RFC 3339, e.g. `2026-11-21T10:00:00Z`, fractions allowed;
/// kept to whole microseconds, as the log keeps them.
enum APITime {
    /// The time `text` names; nil for nil.
    /// - Throws: ``APIError`` 400 naming `field` when `text` is not an RFC 3339 time.
    static func parse(_ text: String?, field: String) throws -> Date? {
        guard let text else { return nil }
        guard let micros = RFC3339.parseMicros(text) else { throw APIError.invalid(field, "is not an RFC 3339 time") }
        guard range.contains(micros) else { throw APIError.invalid(field, "must be between years 1 and 9999 (UTC)") }
        return date(micros: micros)
    }

    /// 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59.999999Z: what protobuf timestamps hold.
    static let range: ClosedRange<Int64> = -62_135_596_800_000_000...253_402_300_799_999_999

    /// The time `micros` microseconds after 1970, as the log keeps it.
    static func date(micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }

    /// `date` in RFC 3339 with microseconds, in UTC.
    static func text(_ date: Date) -> String {
        RFC3339.format(micros: date.unixMicros)
    }

    /// `date` without anything below a microsecond.
    static func truncatedToMicroseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1_000_000).rounded(.down) / 1_000_000)
    }
}
