import EventStore
import Foundation
import PostgresNIO

/// One row of the audit read model, as the API shows it.
struct AuditEntry: Codable, Sendable {
    let cursor: String
    let eventId: String
    let recordedAt: String
    let actor: String?
    let action: String
    let resource: String
    let category: String
    let outcome: String
    let clientIp: String?
    let userAgent: String?
    let correlationId: String?

    /// The columns ``init(row:)`` reads, from `audit_events a`.
    static let columns = """
        a.tx_id::text AS tx_text, a.global_position, a.event_id, (extract(epoch FROM a.recorded_at) * 1000000)::int8,
        a.actor, a.action, a.resource, a.category, a.outcome, a.client_ip, a.user_agent, a.correlation_id
        """

    init(row: PostgresRow) throws {
        let (tx, position, id, micros, actor, action, resource, category, outcome, ip, agent, correlation) =
            try row.decode((String, Int64, UUID, Int64, String?, String, String, String, String, String?, String?, String?).self)
        cursor = "\(tx)-\(position)"
        eventId = id.uuidString.lowercased()
        recordedAt = RFC3339.format(micros: micros)
        self.actor = actor
        self.action = action
        self.resource = resource
        self.category = category
        self.outcome = outcome
        clientIp = ip
        userAgent = agent
        correlationId = correlation
    }

    /// The entry as one JSON object.
    var json: String {
        String(decoding: (try? JSONCoding.encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
