import Foundation

/// The rule every free-text field of a command keeps (names, reasons, messages): not blank
/// (unless multi-line), at most a number of characters, no control characters (a multi-line
/// text may hold line breaks and tabs).
public enum TextRule {
    /// Why `text` breaks the rule, or nil when it keeps it.
    public static func problem(with text: String, maximum: Int, multiline: Bool = false) -> String? {
        if !multiline, text.trimmingCharacters(in: .whitespaces).isEmpty { return "must not be empty" }
        guard text.count <= maximum else { return "must be at most \(maximum) characters" }
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\t", "\r"] : []
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !allowed.contains($0) }) else {
            return "must not contain control characters"
        }
        return nil
    }
}
