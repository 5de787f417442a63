import Foundation

/// Splits a SQL script into its statements, the way psql would: at `;` outside string
/// literals, quoted identifiers, dollar-quoted bodies and comments.
enum SQLScript {
    static func statements(in script: String) -> [String] {
        var scanner = Scanner(Array(script.utf8))
        var statements: [String] = []
        var start = 0
        while let end = scanner.nextSemicolon() {
            append(scanner.bytes[start..<end], to: &statements)
            start = end + 1
        }
        append(scanner.bytes[start...], to: &statements)
        return statements
    }

    private static func append(_ bytes: ArraySlice<UInt8>, to statements: inout [String]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if !Scanner.isOnlyCommentsAndSpace(Array(bytes)) {
            statements.append(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        /// The index of the next top-level `;`, or nil at the end.
        mutating func nextSemicolon() -> Int? {
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: ";"):
                    defer { index += 1 }
                    return index
                case UInt8(ascii: "'"), UInt8(ascii: "\""): skipQuoted(byte)
                case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"): skipLineComment()
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"): skipBlockComment()
                case UInt8(ascii: "$"): skipDollarQuoted()
                default: index += 1
                }
            }
            return nil
        }

        static func isOnlyCommentsAndSpace(_ bytes: [UInt8]) -> Bool {
            var scanner = Scanner(bytes)
            while scanner.index < bytes.count {
                let byte = bytes[scanner.index]
                if byte == UInt8(ascii: "-"), scanner.peek(1) == UInt8(ascii: "-") {
                    scanner.skipLineComment()
                } else if byte == UInt8(ascii: "/"), scanner.peek(1) == UInt8(ascii: "*") {
                    scanner.skipBlockComment()
                } else if [0x20, 0x09, 0x0A, 0x0D].contains(byte) {
                    scanner.index += 1
                } else {
                    return false
                }
            }
            return true
        }

        private func peek(_ offset: Int) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        private mutating func skipQuoted(_ quote: UInt8) {
            index += 1
            while index < bytes.count {
                if bytes[index] == quote {
                    if peek(1) == quote { index += 2; continue }
                    index += 1
                    return
                }
                index += 1
            }
        }

        private mutating func skipLineComment() {
            while index < bytes.count, bytes[index] != 0x0A { index += 1 }
        }

        private mutating func skipBlockComment() {
            index += 2
            var depth = 1
            while index < bytes.count, depth > 0 {
                if bytes[index] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") { depth -= 1; index += 2 }
                else if bytes[index] == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") { depth += 1; index += 2 }
                else { index += 1 }
            }
        }

        /// `$tag$ … $tag$`; a `$` that does not open a tag (e.g. `$1`) is skipped alone.
        private mutating func skipDollarQuoted() {
            var end = index + 1
            while end < bytes.count, Self.isTagByte(bytes[end]) { end += 1 }
            guard end < bytes.count, bytes[end] == UInt8(ascii: "$"),
                  end == index + 1 || !(0x30...0x39).contains(bytes[index + 1]) else {
                index += 1
                return
            }
            let tag = Array(bytes[index...end])
            index = end + 1
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "$"), index + tag.count <= bytes.count,
                   Array(bytes[index..<index + tag.count]) == tag {
                    index += tag.count
                    return
                }
                index += 1
            }
        }

        private static func isTagByte(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || (0x30...0x39).contains(byte)
                || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte >= 0x80
        }
    }
}
