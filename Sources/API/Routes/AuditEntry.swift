import EventStore
import Foundation
import Projections

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

    /// `record`, with its request's origin as revealed for the reader.
    init(_ record: AuditRow, clientIp: String?, userAgent: String?) {
        cursor = "\(record.transaction)-\(record.position)"
        eventId = record.eventID.uuidString.lowercased()
        recordedAt = RFC3339.format(micros: record.recordedAtMicros)
        actor = record.actor
        action = record.action
        resource = record.resource
        category = record.category
        outcome = record.outcome
        self.clientIp = clientIp
        self.userAgent = userAgent
        correlationId = record.correlationID
    }

    /// The entry as one JSON object.
    var json: String {
        String(decoding: (try? JSONCoding.encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
