/// The rules for tenant ids, stream ids, categories and event types. Each must fit in
/// one NATS subject token (docs/event-log.md), so the character sets are narrow.
public enum Identifiers {
    /// 1–64 of `[A-Za-z0-9_-]`.
    public static func isValidTenant(_ tenant: String) -> Bool {
        isMadeOf(tenant, maxBytes: 64, extra: [UInt8(ascii: "_"), UInt8(ascii: "-")])
    }

    /// 1–200 of `[A-Za-z0-9_.:-]`, whose category (see ``category(of:)``) is valid.
    public static func isValidStream(_ stream: String) -> Bool {
        isMadeOf(stream, maxBytes: 200, extra: Array("_.:-".utf8)) && isValidCategory(category(of: stream))
    }

    /// 1–64 of `[A-Za-z0-9_]`.
    public static func isValidCategory(_ category: String) -> Bool {
        isMadeOf(category, maxBytes: 64, extra: [UInt8(ascii: "_")])
    }

    /// 1–100 of `[A-Za-z0-9_]`, starting with a letter.
    public static func isValidType(_ type: String) -> Bool {
        guard let first = type.utf8.first, isLetter(first) else { return false }
        return isMadeOf(type, maxBytes: 100, extra: [UInt8(ascii: "_")])
    }

    /// The part of a stream id before its first `-` (the whole id if it has none).
    public static func category(of stream: String) -> String {
        String(stream.prefix { $0 != "-" })
    }

    private static func isMadeOf(_ text: String, maxBytes: Int, extra: [UInt8]) -> Bool {
        (1...maxBytes).contains(text.utf8.count)
            && text.utf8.allSatisfy { isLetter($0) || (0x30...0x39).contains($0) || extra.contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
