/// Rewrites the strings at a few paths of a JSON text and leaves every other byte as it
/// was (numbers keep their digits, keys their order): how personal fields are encrypted
/// in, and revealed from, an event's stored proto3 JSON.
///
/// Paths are those of ``Domain/PersonalFields``: `content`, `tags[]`, `citations[].quote`,
/// `config.systemPrompt`. A path that names something other than a string (an object, a
/// number, a null) is left alone.
enum PersonalJSON {
    /// One string found at a declared path: the path, its plaintext (or stored text), and
    /// which string of that path it is in document order (arrays repeat a path).
    struct Occurrence: Equatable {
        let path: String
        let index: Int
        let value: String
    }

    /// `json` with each string at one of `paths` replaced by what `transform` returns for it.
    /// - Throws: ``PersonalJSONError`` for text that is not JSON; what `transform` throws.
    static func rewrite(_ json: String, paths: [String], _ transform: (Occurrence) throws -> String) throws -> String {
        guard !paths.isEmpty else { return json }
        return try withoutActuallyEscaping(transform) { transform in
            var scanner = Scanner(input: Array(json.utf8), targets: Set(paths), transform: transform)
            try scanner.document()
            return String(decoding: scanner.output, as: UTF8.self)
        }
    }

    /// The strings at `paths` of `json`, in document order.
    static func strings(in json: String, paths: [String]) throws -> [Occurrence] {
        var found: [Occurrence] = []
        _ = try rewrite(json, paths: paths) { occurrence in
            found.append(occurrence)
            return occurrence.value
        }
        return found
    }

    private struct Scanner {
        let input: [UInt8]
        let targets: Set<String>
        let transform: (Occurrence) throws -> String
        var position = 0
        var output: [UInt8] = []
        var counts: [String: Int] = [:]

        init(input: [UInt8], targets: Set<String>, transform: @escaping (Occurrence) throws -> String) {
            self.input = input
            self.targets = targets
            self.transform = transform
            output.reserveCapacity(input.count + input.count / 2)
        }

        mutating func document() throws {
            try value(at: "")
            copyWhitespace()
            guard position == input.count else { throw PersonalJSONError(offset: position, "text after the value") }
        }

        private mutating func value(at path: String) throws {
            copyWhitespace()
            guard position < input.count else { throw PersonalJSONError(offset: position, "unexpected end") }
            switch input[position] {
            case UInt8(ascii: "{"): try object(at: path)
            case UInt8(ascii: "["): try array(at: path)
            case UInt8(ascii: "\""):
                if targets.contains(path) { try replaceString(at: path) } else { try skipString() }
            default: try copyScalar()
            }
        }

        private mutating func object(at path: String) throws {
            copyByte()   // {
            copyWhitespace()
            if peek == UInt8(ascii: "}") { copyByte(); return }
            while true {
                copyWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw PersonalJSONError(offset: position, "expected a key") }
                let key = try copyString()
                copyWhitespace()
                guard peek == UInt8(ascii: ":") else { throw PersonalJSONError(offset: position, "expected ':'") }
                copyByte()
                try value(at: path.isEmpty ? key : path + "." + key)
                copyWhitespace()
                switch peek {
                case UInt8(ascii: ","): copyByte()
                case UInt8(ascii: "}"): copyByte(); return
                default: throw PersonalJSONError(offset: position, "expected ',' or '}'")
                }
            }
        }

        private mutating func array(at path: String) throws {
            copyByte()   // [
            copyWhitespace()
            if peek == UInt8(ascii: "]") { copyByte(); return }
            while true {
                try value(at: path + "[]")
                copyWhitespace()
                switch peek {
                case UInt8(ascii: ","): copyByte()
                case UInt8(ascii: "]"): copyByte(); return
                default: throw PersonalJSONError(offset: position, "expected ',' or ']'")
                }
            }
        }

        private mutating func replaceString(at path: String) throws {
            let start = output.count
            let value = try copyString()
            output.removeSubrange(start...)
            let index = counts[path, default: 0]
            counts[path] = index + 1
            output.append(contentsOf: JSONText.quoted(try transform(Occurrence(path: path, index: index, value: value))).utf8)
        }

        /// Copies a string token and returns its decoded value.
        private mutating func copyString() throws -> String {
            let start = position
            let escaped = try skipString()
            let body = input[(start + 1)..<(position - 1)]
            guard escaped else { return String(decoding: body, as: UTF8.self) }
            return try decode(from: start + 1)
        }

        /// Copies a string token as it is; whether it holds an escape.
        @discardableResult
        private mutating func skipString() throws -> Bool {
            let start = position
            position += 1
            var escaped = false
            while position < input.count {
                switch input[position] {
                case UInt8(ascii: "\""):
                    position += 1
                    output.append(contentsOf: input[start..<position])
                    return escaped
                case UInt8(ascii: "\\"):
                    escaped = true
                    position += 2
                default:
                    position += 1
                }
            }
            throw PersonalJSONError(offset: start, "unterminated string")
        }

        /// The value of the string whose text starts at `from` (after its quote) and that
        /// holds escapes; `position` is past its closing quote.
        private mutating func decode(from: Int) throws -> String {
            let end = position
            position = from
            defer { position = end }
            var scalars = String.UnicodeScalarView()
            var plain = position
            func flush(_ end: Int) { scalars.append(contentsOf: String(decoding: input[plain..<end], as: UTF8.self).unicodeScalars) }
            while position < end - 1 {
                if input[position] == UInt8(ascii: "\\") {
                    flush(position)
                    scalars.append(try escape())
                    plain = position
                } else {
                    position += 1
                }
            }
            flush(end - 1)
            return String(scalars)
        }

        /// Reads the escape at `position` (a backslash), past it.
        private mutating func escape() throws -> Unicode.Scalar {
            guard position + 1 < input.count else { throw PersonalJSONError(offset: position, "unterminated escape") }
            let letter = input[position + 1]
            position += 2
            switch letter {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                let high = try hex4()
                if (0xD800..<0xDC00).contains(high), position + 1 < input.count,
                   input[position] == UInt8(ascii: "\\"), input[position + 1] == UInt8(ascii: "u") {
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { return "\u{FFFD}" }
                    return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
                }
                return Unicode.Scalar(high) ?? "\u{FFFD}"
            default:
                throw PersonalJSONError(offset: position - 2, "bad escape")
            }
        }

        private mutating func hex4() throws -> UInt32 {
            guard position + 4 <= input.count,
                  let value = UInt32(String(decoding: input[position..<position + 4], as: UTF8.self), radix: 16)
            else { throw PersonalJSONError(offset: position, "bad \\u escape") }
            position += 4
            return value
        }

        private mutating func copyScalar() throws {
            let start = position
            while position < input.count, !Self.isDelimiter(input[position]) { position += 1 }
            guard position > start else { throw PersonalJSONError(offset: position, "expected a value") }
            output.append(contentsOf: input[start..<position])
        }

        private static func isDelimiter(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || isWhitespace(byte)
        }

        private static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
        }

        private var peek: UInt8? { position < input.count ? input[position] : nil }

        private mutating func copyByte() {
            output.append(input[position])
            position += 1
        }

        private mutating func copyWhitespace() {
            while position < input.count, Self.isWhitespace(input[position]) { copyByte() }
        }
    }
}

/// Text that is not the JSON an event stores.
struct PersonalJSONError: Error, CustomStringConvertible {
    let offset: Int
    let reason: String

    init(offset: Int, _ reason: String) {
        self.offset = offset
        self.reason = reason
    }

    var description: String { "not JSON at byte \(offset): \(reason)" }
}
