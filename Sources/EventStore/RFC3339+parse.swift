extension RFC3339 {
    /// The microseconds since 1970 that `text` names: `YYYY-MM-DDTHH:MM:SS`, an optional
    /// fraction (digits past the sixth are dropped), and `Z` or `±HH:MM`. Exact, unlike a
    /// parse through floating-point seconds. nil for anything else.
    public static func parseMicros(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 40, bytes[4] == 0x2d, bytes[7] == 0x2d, bytes[10] | 0x20 == 0x74,
              bytes[13] == 0x3a, bytes[16] == 0x3a,
              let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
              let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var fraction: Int64 = 0
        if bytes[index] == 0x2e {
            index += 1
            var digits = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                if digits < 6 { fraction = fraction * 10 + Int64(bytes[index] - 0x30) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { fraction *= 10 }
        }
        guard let offset = offsetSeconds(bytes[index...]) else { return nil }
        let seconds = days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3_600 + minute * 60 + second) - offset
        return seconds * 1_000_000 + fraction
    }

    private static func offsetSeconds(_ rest: ArraySlice<UInt8>) -> Int64? {
        let rest = Array(rest)
        if rest.count == 1, rest[0] | 0x20 == 0x7a { return 0 }
        guard rest.count == 6, rest[0] == 0x2b || rest[0] == 0x2d, rest[3] == 0x3a,
              let hours = number(rest, 1, 2), let minutes = number(rest, 4, 2), hours < 24, minutes < 60 else { return nil }
        return Int64(hours * 3_600 + minutes * 60) * (rest[0] == 0x2d ? -1 : 1)
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to `year`-`month`-`day` (H. Hinnant's days-from-civil).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = y.floorDiv(400)
        let yearOfEra = y - era * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
