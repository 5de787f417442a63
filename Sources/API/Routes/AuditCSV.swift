import Foundation

/// Audit entries as CSV (RFC 4180). Text that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'`.
enum AuditCSV {
    static let header = "cursor,event_id,recorded_at,actor,action,resource,category,outcome,client_ip,user_agent,correlation_id\r\n"

    static func line(_ entry: AuditEntry) -> String {
        [entry.cursor, entry.eventId, entry.recordedAt, entry.actor ?? "", entry.action, entry.resource, entry.category,
         entry.outcome, entry.clientIp ?? "", entry.userAgent ?? "", entry.correlationId ?? ""]
            .map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ text: String) -> String {
        var text = text
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
