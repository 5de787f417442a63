import EventStore
import Foundation

/// Times a client sends and receives: RFC 3339, e.g. `2026-11-21T10:00:00Z`, fractions allowed;
/// kept to whole microseconds, as the log keeps them.
enum APITime {
    /// The time `text` names; nil for nil.
    /// - Throws: ``APIError`` 400 naming `field` when `text` is not an RFC 3339 time.
    static func parse(_ text: String?, field: String) throws -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard text.utf8.count <= 40,
              let date = formatter.date(from: text) ?? {
                  formatter.formatOptions = [.withInternetDateTime]
                  return formatter.date(from: text)
              }() else {
            throw APIError.invalid(field, "is not an RFC 3339 time")
        }
        return truncatedToMicroseconds(date)
    }

    /// `date` in RFC 3339 with microseconds, in UTC.
    static func text(_ date: Date) -> String {
        RFC3339.format(micros: Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down)))
    }

    /// `date` without anything below a microsecond.
    static func truncatedToMicroseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1_000_000).rounded(.down) / 1_000_000)
    }
}
