import EventStore
import Foundation

/// A batch of events as the column arrays of the audit insert.
struct AuditRows {
    var tenants: [String] = [], transactions: [String] = [], positions: [Int64] = [], ids: [UUID] = []
    var micros: [Int64] = [], metadata: [String] = [], actions: [String] = [], resources: [String] = []
    var categories: [String] = [], outcomes: [String] = []

    init(_ events: [RecordedEvent]) {
        for event in events {
            tenants.append(event.tenant)
            transactions.append(String(event.cursor.transaction))
            positions.append(event.cursor.position)
            ids.append(event.id)
            micros.append(event.recordedAtMicros)
            metadata.append(event.metadata)
            actions.append(event.type)
            resources.append(event.stream)
            categories.append(event.category)
            outcomes.append(AuditOutcome(type: event.type).rawValue)
        }
    }
}

/// Whether an event records something that happened or something refused.
public enum AuditOutcome: String, Sendable, CaseIterable {
    case success
    /// The event records a refusal or a failure: its type ends in Rejected, Refused,
    /// Denied or Failed (e.g. `ReservationRejected`, `ChannelFailed`).
    case failure

    /// The type endings of failures (letters only: the rebuild matches them in SQL too).
    public static let failureSuffixes = ["Rejected", "Refused", "Denied", "Failed"]

    public init(type: String) {
        self = Self.failureSuffixes.contains { type.hasSuffix($0) } ? .failure : .success
    }
}
