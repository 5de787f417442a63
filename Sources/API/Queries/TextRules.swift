/// Checks the API applies to every text it reads from a URL.
enum TextRules {
    /// Whether `text` holds a C0 or C1 control character or DEL (U+0000 cannot even be stored).
    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }
}
