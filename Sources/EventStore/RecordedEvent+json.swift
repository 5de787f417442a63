import Foundation

extension RecordedEvent {
    /// The event as one line of JSON (no newline): cursor, envelope fields, `data` and
    /// `metadata` as JSON objects, `recorded_at` in RFC 3339 with microseconds, `hash` in hex.
    public var jsonLine: String {
        var line = "{\"cursor\":\"\(cursor)\",\"event_id\":\"\(id.uuidString.lowercased())\""
        line += ",\"tenant_id\":\(JSONText.quoted(tenant)),\"stream_id\":\(JSONText.quoted(stream))"
        line += ",\"category\":\(JSONText.quoted(category)),\"stream_version\":\(streamVersion)"
        line += ",\"type\":\(JSONText.quoted(type)),\"schema_version\":\(schemaVersion)"
        line += ",\"data\":\(data),\"metadata\":\(metadata)"
        line += ",\"recorded_at\":\"\(RFC3339.format(micros: recordedAtMicros))\""
        line += ",\"hash\":\"\(Hex.encode(hash))\"}"
        return line
    }

}

/// JSON string quoting for text we embed in hand-built JSON.
public enum JSONText {
    public static func quoted(_ text: String) -> String {
        // Most text needs no escape (ids, base64): copied whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
