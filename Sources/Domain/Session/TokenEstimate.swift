/// The token estimate a session's context is cut by, the same for every model:
/// each CJK character (Han, kana, Hangul) counts as one token, the rest of the text as one
/// token per 4 UTF-8 bytes, rounded up, and each message adds 4 tokens for its framing.
/// It errs on the high side for English (about 4.7 bytes per token in practice).
public enum TokenEstimate {
    public static let perMessage = 4

    /// The estimated tokens of `text`.
    public static func of(_ text: String) -> Int {
        var cjk = 0
        var otherBytes = 0
        for scalar in text.unicodeScalars {
            if isCJK(scalar) { cjk += 1 } else { otherBytes += scalar.utf8.count }
        }
        return cjk + (otherBytes + 3) / 4
    }

    /// The estimated tokens of a message with `content`, framing included.
    public static func message(_ content: String) -> Int { perMessage + of(content) }

    /// Whether `scalar` is a Han, kana or Hangul character.
    public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FA1F: true
        default: false
        }
    }
}
