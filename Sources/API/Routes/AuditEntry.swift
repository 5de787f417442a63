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

    init(_ record: AuditRow) {
        cursor = "\(record.transaction)-\(record.position)"
        eventId = record.eventID.uuidString.lowercased()
        recordedAt = RFC3339.format(micros: record.recordedAtMicros)
        actor = record.actor
        action = record.action
        resource = record.resource
        category = record.category
        outcome = record.outcome
        clientIp = record.clientIP
        userAgent = record.userAgent
        correlationId = record.correlationID
    }

    /// The entry as one JSON object.
    var json: String {
        String(decoding: (try? JSONCoding.encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
