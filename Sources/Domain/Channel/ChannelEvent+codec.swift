import Foundation
import Schemas
import SwiftProtobuf

extension ChannelEvent: EventFamily {
    /// Every type a channel writes, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case created = "ChannelCreated"
        case updated = "ChannelUpdated"
        case enabled = "ChannelEnabled"
        case disabled = "ChannelDisabled"
        case autoDisabled = "ChannelAutoDisabled"
        case deleted = "ChannelDeleted"
        case keyAdded = "ChannelKeyAdded"
        case keyDraining = "ChannelKeyDraining"
        case keyRetired = "ChannelKeyRetired"
        case keyDisabled = "ChannelKeyDisabled"
        case outcomesRecorded = "ChannelOutcomesRecorded"
        case tripped = "ChannelTripped"
        case halfOpened = "ChannelHalfOpened"
        case probeClaimed = "ChannelProbeClaimed"
        case recovered = "ChannelRecovered"

        public var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .created: Eventloom_V1_ChannelCreated.self
            case .updated: Eventloom_V1_ChannelUpdated.self
            case .enabled: Eventloom_V1_ChannelEnabled.self
            case .disabled: Eventloom_V1_ChannelDisabled.self
            case .autoDisabled: Eventloom_V1_ChannelAutoDisabled.self
            case .deleted: Eventloom_V1_ChannelDeleted.self
            case .keyAdded: Eventloom_V1_ChannelKeyAdded.self
            case .keyDraining: Eventloom_V1_ChannelKeyDraining.self
            case .keyRetired: Eventloom_V1_ChannelKeyRetired.self
            case .keyDisabled: Eventloom_V1_ChannelKeyDisabled.self
            case .outcomesRecorded: Eventloom_V1_ChannelOutcomesRecorded.self
            case .tripped: Eventloom_V1_ChannelTripped.self
            case .halfOpened: Eventloom_V1_ChannelHalfOpened.self
            case .probeClaimed: Eventloom_V1_ChannelProbeClaimed.self
            case .recovered: Eventloom_V1_ChannelRecovered.self
            }
        }

        /// Channels describe upstream endpoints, operators' key ids and upstream calls (key
        /// ids, models, statuses, the upstream's error text): nothing personal of a data subject.
        public var personalFields: PersonalFields { .none }
    }

    public var kind: Kind {
        switch self {
        case .created: .created
        case .updated: .updated
        case .enabled: .enabled
        case .disabled: .disabled
        case .autoDisabled: .autoDisabled
        case .deleted: .deleted
        case .keyAdded: .keyAdded
        case .keyDraining: .keyDraining
        case .keyRetired: .keyRetired
        case .keyDisabled: .keyDisabled
        case .outcomesRecorded: .outcomesRecorded
        case .tripped: .tripped
        case .halfOpened: .halfOpened
        case .probeClaimed: .probeClaimed
        case .recovered: .recovered
        }
    }

    public func jsonData() throws -> String {
        switch self {
        case .created(let id, let spec, let by, let at):
            try kind.encode(Eventloom_V1_ChannelCreated.with {
                $0.channelID = id; $0.spec = spec.proto; $0.createdBy = by; $0.createdAt = Self.timestamp(at)
            })
        case .updated(let spec, let by, let at):
            try kind.encode(Eventloom_V1_ChannelUpdated.with { $0.spec = spec.proto; $0.updatedBy = by; $0.updatedAt = Self.timestamp(at) })
        case .enabled(let by, let at):
            try kind.encode(Eventloom_V1_ChannelEnabled.with { $0.enabledBy = by; $0.enabledAt = Self.timestamp(at) })
        case .disabled(let by, let reason, let at):
            try kind.encode(Eventloom_V1_ChannelDisabled.with { $0.disabledBy = by; $0.reason = reason; $0.disabledAt = Self.timestamp(at) })
        case .autoDisabled(let trips, let at):
            try kind.encode(Eventloom_V1_ChannelAutoDisabled.with {
                $0.tripsInARow = Int32(clamping: trips); $0.disabledAt = Self.timestamp(at)
            })
        case .deleted(let by, let at):
            try kind.encode(Eventloom_V1_ChannelDeleted.with { $0.deletedBy = by; $0.deletedAt = Self.timestamp(at) })
        case .keyAdded(let key): try kind.encode(Self.message(key))
        case .keyDraining(let id, let by, let at):
            try kind.encode(Eventloom_V1_ChannelKeyDraining.with { $0.keyID = id; $0.by = by; $0.at = Self.timestamp(at) })
        case .keyRetired(let id, let by, let at):
            try kind.encode(Eventloom_V1_ChannelKeyRetired.with { $0.keyID = id; $0.by = by; $0.at = Self.timestamp(at) })
        case .keyDisabled(let aside): try kind.encode(Self.message(aside))
        case .outcomesRecorded(let outcomes, let at):
            try kind.encode(Eventloom_V1_ChannelOutcomesRecorded.with {
                $0.outcomes = outcomes.map(\.proto); $0.recordedAt = Self.timestamp(at)
            })
        case .tripped(let model, let trip): try kind.encode(trip.proto(model: model))
        case .halfOpened(let model, let at):
            try kind.encode(Eventloom_V1_ChannelHalfOpened.with { $0.model = model ?? ""; $0.at = Self.timestamp(at) })
        case .probeClaimed(let model, let requestID, let at):
            try kind.encode(Eventloom_V1_ChannelProbeClaimed.with {
                $0.model = model ?? ""; $0.requestID = requestID; $0.at = Self.timestamp(at)
            })
        case .recovered(let model, let probes, let at):
            try kind.encode(Eventloom_V1_ChannelRecovered.with {
                $0.model = model ?? ""; $0.probes = Int32(clamping: probes); $0.at = Self.timestamp(at)
            })
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        let kind = try Kind.named(type, schemaVersion: schemaVersion)
        switch kind {
        case .created:
            let message = try kind.decode(Eventloom_V1_ChannelCreated.self, from: json)
            self = .created(id: message.channelID, spec: ChannelSpec(message.spec), by: message.createdBy, at: message.createdAt.date)
        case .updated:
            let message = try kind.decode(Eventloom_V1_ChannelUpdated.self, from: json)
            self = .updated(spec: ChannelSpec(message.spec), by: message.updatedBy, at: message.updatedAt.date)
        case .enabled:
            let message = try kind.decode(Eventloom_V1_ChannelEnabled.self, from: json)
            self = .enabled(by: message.enabledBy, at: message.enabledAt.date)
        case .disabled:
            let message = try kind.decode(Eventloom_V1_ChannelDisabled.self, from: json)
            self = .disabled(by: message.disabledBy, reason: message.reason, at: message.disabledAt.date)
        case .autoDisabled:
            let message = try kind.decode(Eventloom_V1_ChannelAutoDisabled.self, from: json)
            self = .autoDisabled(tripsInARow: Int(message.tripsInARow), at: message.disabledAt.date)
        case .deleted:
            let message = try kind.decode(Eventloom_V1_ChannelDeleted.self, from: json)
            self = .deleted(by: message.deletedBy, at: message.deletedAt.date)
        case .keyAdded: self = .keyAdded(Self.key(try kind.decode(Eventloom_V1_ChannelKeyAdded.self, from: json)))
        case .keyDraining:
            let message = try kind.decode(Eventloom_V1_ChannelKeyDraining.self, from: json)
            self = .keyDraining(keyID: message.keyID, by: message.by, at: message.at.date)
        case .keyRetired:
            let message = try kind.decode(Eventloom_V1_ChannelKeyRetired.self, from: json)
            self = .keyRetired(keyID: message.keyID, by: message.by, at: message.at.date)
        case .keyDisabled: self = .keyDisabled(Self.aside(try kind.decode(Eventloom_V1_ChannelKeyDisabled.self, from: json)))
        case .outcomesRecorded:
            let message = try kind.decode(Eventloom_V1_ChannelOutcomesRecorded.self, from: json)
            self = .outcomesRecorded(message.outcomes.map(CallOutcome.init), at: message.recordedAt.date)
        case .tripped:
            let message = try kind.decode(Eventloom_V1_ChannelTripped.self, from: json)
            self = .tripped(model: Self.model(message.model), BreakerTrip(message))
        case .halfOpened:
            let message = try kind.decode(Eventloom_V1_ChannelHalfOpened.self, from: json)
            self = .halfOpened(model: Self.model(message.model), at: message.at.date)
        case .probeClaimed:
            let message = try kind.decode(Eventloom_V1_ChannelProbeClaimed.self, from: json)
            self = .probeClaimed(model: Self.model(message.model), requestID: message.requestID, at: message.at.date)
        case .recovered:
            let message = try kind.decode(Eventloom_V1_ChannelRecovered.self, from: json)
            self = .recovered(model: Self.model(message.model), probes: Int(message.probes), at: message.at.date)
        }
    }

    private static func timestamp(_ date: Date) -> Google_Protobuf_Timestamp { Google_Protobuf_Timestamp(date: date) }

    private static func model(_ name: String) -> String? { name.isEmpty ? nil : name }

    private static func message(_ key: ChannelKey) -> Eventloom_V1_ChannelKeyAdded {
        .with {
            $0.keyID = key.id
            switch key.secret {
            case .sealed(let text): $0.sealed = text
            case .reference(let text): $0.reference = text
            }
            $0.addedBy = key.addedBy
            $0.addedAt = timestamp(key.addedAt)
        }
    }

    private static func key(_ message: Eventloom_V1_ChannelKeyAdded) -> ChannelKey {
        let secret: ChannelSecret = switch message.secret {
        case .sealed(let text): .sealed(text)
        case .reference(let text): .reference(text)
        case nil: .reference("")
        }
        return ChannelKey(id: message.keyID, secret: secret, addedBy: message.addedBy, addedAt: message.addedAt.date)
    }

    private static func message(_ aside: KeyAside) -> Eventloom_V1_ChannelKeyDisabled {
        .with {
            $0.keyID = aside.keyID
            $0.requestID = aside.requestID
            $0.status = Int32(clamping: aside.status)
            $0.errorType = aside.errorType
            $0.disablesInARow = Int32(clamping: aside.asidesInARow)
            $0.at = timestamp(aside.at)
            $0.until = timestamp(aside.until)
        }
    }

    private static func aside(_ message: Eventloom_V1_ChannelKeyDisabled) -> KeyAside {
        KeyAside(keyID: message.keyID, requestID: message.requestID, status: Int(message.status), errorType: message.errorType,
                 asidesInARow: Int(message.disablesInARow), at: message.at.date, until: message.until.date)
    }
}
