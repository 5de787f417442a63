/// Money as clients write it: decimal US dollars in a JSON string, e.g. "12.5" or
/// "0.000150", never a float. Inside, money is integer nano-USD (or micro-USD per 1,000
/// tokens for prices), so nothing rounds.
enum USD {
    /// "12.345678901" for 12,345,678,901 nano-USD (trailing zeros trimmed, at least "0").
    static func text(nanos: Int64) -> String { text(nanos, scale: 9) }

    /// A price per 1,000 tokens, from micro-USD: "0.0025" for 2,500.
    static func text(micros: Int64) -> String { text(micros, scale: 6) }

    /// The nano-USD of `text`, which may have up to 9 decimals.
    /// - Throws: ``APIError`` 400 naming `field` for anything else, or a value over $9 billion.
    static func nanos(_ text: String, field: String) throws -> Int64 {
        guard let value = parse(text, scale: 9) else { throw APIError.invalid(field, "must be a decimal USD string with at most 9 decimals, e.g. \"12.50\"") }
        return value
    }

    /// The micro-USD of `text`, which may have up to 6 decimals.
    /// - Throws: ``APIError`` 400 naming `field`.
    static func micros(_ text: String, field: String) throws -> Int64 {
        guard let value = parse(text, scale: 6) else { throw APIError.invalid(field, "must be a decimal USD string with at most 6 decimals, e.g. \"0.0025\"") }
        return value
    }

    private static func parse(_ text: String, scale: Int) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 10, whole.allSatisfy(\.isASCIIDigit) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= scale, fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty else { return nil }
        let padded = fraction + String(repeating: "0", count: scale - fraction.count)
        guard let units = Int64(whole), let part = Int64(padded.isEmpty ? "0" : padded) else { return nil }
        let (scaled, overflow) = units.multipliedReportingOverflow(by: power(scale))
        guard !overflow else { return nil }
        let (sum, overflowed) = scaled.addingReportingOverflow(part)
        return overflowed ? nil : sum
    }

    private static func text(_ value: Int64, scale: Int) -> String {
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        let unit = UInt64(power(scale))
        let whole = magnitude / unit
        var fraction = String(magnitude % unit)
        fraction = String(repeating: "0", count: scale - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    private static func power(_ scale: Int) -> Int64 { (0..<scale).reduce(1) { value, _ in value * 10 } }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
