/// Writes one JSON object field by field, for the views that lists repeat many times per
/// request (the generic `JSONEncoder`, with its snake_case key conversion, costs several
/// times more). Keys are written as given; a nil optional leaves its key out, as the
/// synthesized `Encodable` conformances do.
struct JSONObjectWriter {
    private(set) var text = "{"
    private var empty = true

    /// The finished object (closed in place: the writer is done with).
    mutating func finish() -> String {
        text += "}"
        return text
    }

    init() {}

    /// A writer whose text has room for `capacity` bytes before it grows.
    init(capacity: Int) {
        text.reserveCapacity(capacity)
    }

    mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        Self.append(string: value, to: &text)
    }

    /// A field the spec requires even when it has no value: `null` then.
    mutating func field(_ key: String, orNull value: String?) {
        self.key(key)
        if let value { Self.append(string: value, to: &text) } else { text += "null" }
    }

    mutating func field(_ key: String, _ value: Bool) {
        self.key(key)
        text += value ? "true" : "false"
    }

    mutating func field<N: BinaryInteger>(_ key: String, _ value: N?) {
        guard let value else { return }
        self.key(key)
        text += String(value)
    }

    /// A finite number (non-finite values have no JSON form and are left out).
    mutating func field(_ key: String, _ value: Double?) {
        guard let value, value.isFinite else { return }
        self.key(key)
        text += value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A finite float32, in its shortest form (as `JSONEncoder` writes it).
    mutating func field(_ key: String, _ value: Float) {
        guard value.isFinite else { return }
        self.key(key)
        text += String(value)
    }

    mutating func field(_ key: String, _ values: [String]?) {
        guard let values else { return }
        self.key(key)
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            Self.append(string: value, to: &text)
        }
        text += "]"
    }

    /// An array of objects, each written by `write` into this object's text (no string of
    /// its own per element).
    mutating func field<Element>(_ key: String, objects: [Element], _ write: (inout JSONObjectWriter, Element) -> Void) {
        self.key(key)
        text += "["
        for (index, element) in objects.enumerated() {
            var object = JSONObjectWriter()
            swap(&object.text, &text)
            object.text += index > 0 ? ",{" : "{"
            write(&object, element)
            object.text += "}"
            swap(&object.text, &text)
        }
        text += "]"
    }

    /// A value that is JSON text already (an object or array written elsewhere).
    mutating func field(_ key: String, json: String?) {
        guard let json else { return }
        self.key(key)
        text += json
    }

    /// Keys are the views' own snake_case names, which need no escape: written whole.
    private mutating func key(_ key: String) {
        assert(!key.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }, "a key that needs escaping")
        text += empty ? "\"" : ",\""
        empty = false
        text += key
        text += "\":"
    }

    /// `value` as a JSON string: quotes, backslashes and control characters escaped.
    static func append(string value: String, to text: inout String) {
        text += "\""
        // Most strings (ids, hashes) need no escape: one append.
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
            text += value
            text += "\""
            return
        }
        var pending = value.utf8.startIndex
        let utf8 = value.utf8
        for index in utf8.indices {
            let byte = utf8[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            text += value[pending..<index]
            text += escape(byte)
            pending = utf8.index(after: index)
        }
        text += value[pending...]
        text += "\""
    }

    private static func escape(_ byte: UInt8) -> String {
        switch byte {
        case 0x22: return "\\\""
        case 0x5C: return "\\\\"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        default:
            let hex = String(byte, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
