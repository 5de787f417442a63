import Foundation
import Schemas
import SwiftProtobuf

extension BudgetEvent: RecordableEvent {
    public var type: String {
        switch self {
        case .defined: "BudgetDefined"
        case .windowOpened: "BudgetWindowOpened"
        case .tokensReserved: "TokensReserved"
        case .tokensConsumed: "TokensConsumed"
        case .tokensRefunded: "TokensRefunded"
        case .thresholdCrossed: "BudgetThresholdCrossed"
        case .exhausted: "BudgetExhausted"
        }
    }

    public var schemaVersion: Int { 1 }

    public func jsonData() throws -> String {
        switch self {
        case .defined(let definition, let at):
            try ProtoJSON.encode(definition.proto(at: at), type: type)
        case .windowOpened(let budgetID, let window, let limit, let rollover, let at):
            try ProtoJSON.encode(Eventloom_V1_BudgetWindowOpened.with {
                $0.budgetID = budgetID
                $0.window = .with { $0.start = window.start.timestamp; $0.end = window.end.timestamp }
                $0.limit = limit.proto
                $0.rollover = rollover.proto
                $0.openedAt = at.timestamp
            }, type: type)
        case .tokensReserved(let budgetID, let reservationID, let start, let amount, let at):
            try ProtoJSON.encode(Eventloom_V1_TokensReserved.with {
                $0.budgetID = budgetID; $0.reservationID = reservationID; $0.windowStart = start.timestamp
                $0.amount = amount.proto; $0.reservedAt = at.timestamp
            }, type: type)
        case .tokensConsumed(let budgetID, let reservationID, let start, let held, let charged, let at):
            try ProtoJSON.encode(Eventloom_V1_TokensConsumed.with {
                $0.budgetID = budgetID; $0.reservationID = reservationID; $0.windowStart = start.timestamp
                $0.held = held.proto; $0.charged = charged.proto; $0.consumedAt = at.timestamp
            }, type: type)
        case .tokensRefunded(let budgetID, let reservationID, let start, let amount, let reason, let at):
            try ProtoJSON.encode(Eventloom_V1_TokensRefunded.with {
                $0.budgetID = budgetID; $0.reservationID = reservationID; $0.windowStart = start.timestamp
                $0.amount = amount.proto; $0.reason = reason.rawValue; $0.refundedAt = at.timestamp
            }, type: type)
        case .thresholdCrossed(let budgetID, let start, let percent, let used, let at):
            try ProtoJSON.encode(Eventloom_V1_BudgetThresholdCrossed.with {
                $0.budgetID = budgetID; $0.windowStart = start.timestamp; $0.percent = percent
                $0.used = used.proto; $0.crossedAt = at.timestamp
            }, type: type)
        case .exhausted(let budgetID, let start, let used, let at):
            try ProtoJSON.encode(Eventloom_V1_BudgetExhausted.with {
                $0.budgetID = budgetID; $0.windowStart = start.timestamp; $0.used = used.proto; $0.exhaustedAt = at.timestamp
            }, type: type)
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        guard schemaVersion == 1 else { throw EventCodingError.unsupportedSchemaVersion(type: type, version: schemaVersion) }
        switch type {
        case "BudgetDefined":
            let message = try ProtoJSON.decode(Eventloom_V1_BudgetDefined.self, from: json, type: type)
            self = .defined(try BudgetDefinition(message, type: type), at: message.definedAt.date)
        case "BudgetWindowOpened":
            let m = try ProtoJSON.decode(Eventloom_V1_BudgetWindowOpened.self, from: json, type: type)
            self = .windowOpened(budgetID: m.budgetID, window: BudgetWindow(start: m.window.start.date, end: m.window.end.date),
                                 limit: BudgetLimit(m.limit), rollover: Amount(m.rollover), at: m.openedAt.date)
        case "TokensReserved":
            let m = try ProtoJSON.decode(Eventloom_V1_TokensReserved.self, from: json, type: type)
            self = .tokensReserved(budgetID: m.budgetID, reservationID: m.reservationID, windowStart: m.windowStart.date,
                                   amount: Amount(m.amount), at: m.reservedAt.date)
        case "TokensConsumed":
            let m = try ProtoJSON.decode(Eventloom_V1_TokensConsumed.self, from: json, type: type)
            self = .tokensConsumed(budgetID: m.budgetID, reservationID: m.reservationID, windowStart: m.windowStart.date,
                                   held: Amount(m.held), charged: Amount(m.charged), at: m.consumedAt.date)
        case "TokensRefunded":
            let m = try ProtoJSON.decode(Eventloom_V1_TokensRefunded.self, from: json, type: type)
            guard let reason = RefundReason(rawValue: m.reason) else {
                throw EventCodingError.invalidPayload(type: type, reason: "unknown refund reason \"\(m.reason)\"")
            }
            self = .tokensRefunded(budgetID: m.budgetID, reservationID: m.reservationID, windowStart: m.windowStart.date,
                                   amount: Amount(m.amount), reason: reason, at: m.refundedAt.date)
        case "BudgetThresholdCrossed":
            let m = try ProtoJSON.decode(Eventloom_V1_BudgetThresholdCrossed.self, from: json, type: type)
            self = .thresholdCrossed(budgetID: m.budgetID, windowStart: m.windowStart.date, percent: m.percent,
                                     used: Amount(m.used), at: m.crossedAt.date)
        case "BudgetExhausted":
            let m = try ProtoJSON.decode(Eventloom_V1_BudgetExhausted.self, from: json, type: type)
            self = .exhausted(budgetID: m.budgetID, windowStart: m.windowStart.date, used: Amount(m.used), at: m.exhaustedAt.date)
        default:
            throw EventCodingError.unknownType(type)
        }
    }
}
