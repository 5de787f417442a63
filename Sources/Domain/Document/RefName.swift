/// Branch and tag names as git's `check-ref-format --branch` accepts them.
public enum RefName {
    /// Why `name` is not a valid branch or tag name; nil when it is.
    public static func problem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        if bytes.isEmpty { return "must not be empty" }
        if bytes.count > DocumentLimits.maximumRefNameLength {
            return "must be at most \(DocumentLimits.maximumRefNameLength) bytes"
        }
        if name == "@" || name == "HEAD" { return "must not be \(name)" }
        if name.hasPrefix("-") { return "must not begin with '-'" }
        if name.hasPrefix("refs/") { return "must not begin with 'refs/'" }
        if let byte = bytes.first(where: { $0 < 0x20 || $0 == 0x7F }) {
            return "must not contain control character 0x\(String(byte, radix: 16))"
        }
        if let character = name.first(where: { " ~^:?*[\\".contains($0) }) {
            return "must not contain '\(character)'"
        }
        if name.contains("..") { return "must not contain '..'" }
        if name.contains("@{") { return "must not contain '@{'" }
        if name.hasPrefix("/") || name.hasSuffix("/") || name.contains("//") {
            return "must not begin or end with '/' or contain '//'"
        }
        if name.hasSuffix(".") { return "must not end with '.'" }
        for component in name.split(separator: "/") {
            if component.hasPrefix(".") { return "no part may begin with '.'" }
            if component.hasSuffix(".lock") { return "no part may end with '.lock'" }
        }
        if isCommitID(name) { return "must not look like a commit id" }
        return nil
    }

    /// Whether `text` has the form of a commit id: 64 lowercase hex digits.
    public static func isCommitID(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
