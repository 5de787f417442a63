import Foundation
import Schemas
import SwiftProtobuf

extension BudgetEvent: EventFamily {
    /// Every type a budget writes, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case defined = "BudgetDefined"
        case windowOpened = "BudgetWindowOpened"
        case tokensReserved = "TokensReserved"
        case tokensConsumed = "TokensConsumed"
        case tokensRefunded = "TokensRefunded"
        case thresholdCrossed = "BudgetThresholdCrossed"
        case exhausted = "BudgetExhausted"

        public var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .defined: Eventloom_V1_BudgetDefined.self
            case .windowOpened: Eventloom_V1_BudgetWindowOpened.self
            case .tokensReserved: Eventloom_V1_TokensReserved.self
            case .tokensConsumed: Eventloom_V1_TokensConsumed.self
            case .tokensRefunded: Eventloom_V1_TokensRefunded.self
            case .thresholdCrossed: Eventloom_V1_BudgetThresholdCrossed.self
            case .exhausted: Eventloom_V1_BudgetExhausted.self
            }
        }

        public var personalFields: PersonalFields { .none }
    }

    public var kind: Kind {
        switch self {
        case .defined: .defined
        case .windowOpened: .windowOpened
        case .tokensReserved: .tokensReserved
        case .tokensConsumed: .tokensConsumed
        case .tokensRefunded: .tokensRefunded
        case .thresholdCrossed: .thresholdCrossed
        case .exhausted: .exhausted
        }
    }

    public func jsonData() throws -> String {
        switch self {
        case .defined(let definition, let at):
            try kind.encode(definition.proto(at: at))
        case .windowOpened(let budgetID, let window, let limit, let rollover, let at):
            try kind.encode(Eventloom_V1_BudgetWindowOpened.with {
                $0.budgetID = budgetID
                $0.window = .with { $0.start = window.start.timestamp; $0.end = window.end.timestamp }
                $0.limit = limit.proto
                $0.rollover = rollover.proto
                $0.openedAt = at.timestamp
            })
        case .tokensReserved(let budgetID, let reservationID, let start, let amount, let at):
            try kind.encode(Eventloom_V1_TokensReserved.with {
                $0.budgetID = budgetID; $0.reservationID = reservationID; $0.windowStart = start.timestamp
                $0.amount = amount.proto; $0.reservedAt = at.timestamp
            })
        case .tokensConsumed(let budgetID, let reservationID, let start, let held, let charged, let at):
            try kind.encode(Eventloom_V1_TokensConsumed.with {
                $0.budgetID = budgetID; $0.reservationID = reservationID; $0.windowStart = start.timestamp
                $0.held = held.proto; $0.charged = charged.proto; $0.consumedAt = at.timestamp
            })
        case .tokensRefunded(let budgetID, let reservationID, let start, let amount, let reason, let at):
            try kind.encode(Eventloom_V1_TokensRefunded.with {
                $0.budgetID = budgetID; $0.reservationID = reservationID; $0.windowStart = start.timestamp
                $0.amount = amount.proto; $0.reason = reason.rawValue; $0.refundedAt = at.timestamp
            })
        case .thresholdCrossed(let budgetID, let start, let percent, let used, let at):
            try kind.encode(Eventloom_V1_BudgetThresholdCrossed.with {
                $0.budgetID = budgetID; $0.windowStart = start.timestamp; $0.percent = percent
                $0.used = used.proto; $0.crossedAt = at.timestamp
            })
        case .exhausted(let budgetID, let start, let used, let at):
            try kind.encode(Eventloom_V1_BudgetExhausted.with {
                $0.budgetID = budgetID; $0.windowStart = start.timestamp; $0.used = used.proto; $0.exhaustedAt = at.timestamp
            })
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        switch try Kind.named(type, schemaVersion: schemaVersion) {
        case .defined:
            let message = try Kind.defined.decode(Eventloom_V1_BudgetDefined.self, from: json)
            self = .defined(try BudgetDefinition(message, type: type), at: message.definedAt.date)
        case .windowOpened:
            let m = try Kind.windowOpened.decode(Eventloom_V1_BudgetWindowOpened.self, from: json)
            self = .windowOpened(budgetID: m.budgetID, window: BudgetWindow(start: m.window.start.date, end: m.window.end.date),
                                 limit: BudgetLimit(m.limit), rollover: Amount(m.rollover), at: m.openedAt.date)
        case .tokensReserved:
            let m = try Kind.tokensReserved.decode(Eventloom_V1_TokensReserved.self, from: json)
            self = .tokensReserved(budgetID: m.budgetID, reservationID: m.reservationID, windowStart: m.windowStart.date,
                                   amount: Amount(m.amount), at: m.reservedAt.date)
        case .tokensConsumed:
            let m = try Kind.tokensConsumed.decode(Eventloom_V1_TokensConsumed.self, from: json)
            self = .tokensConsumed(budgetID: m.budgetID, reservationID: m.reservationID, windowStart: m.windowStart.date,
                                   held: Amount(m.held), charged: Amount(m.charged), at: m.consumedAt.date)
        case .tokensRefunded:
            let m = try Kind.tokensRefunded.decode(Eventloom_V1_TokensRefunded.self, from: json)
            guard let reason = RefundReason(rawValue: m.reason) else {
                throw EventCodingError.invalidPayload(type: type, reason: "unknown refund reason \"\(m.reason)\"")
            }
            self = .tokensRefunded(budgetID: m.budgetID, reservationID: m.reservationID, windowStart: m.windowStart.date,
                                   amount: Amount(m.amount), reason: reason, at: m.refundedAt.date)
        case .thresholdCrossed:
            let m = try Kind.thresholdCrossed.decode(Eventloom_V1_BudgetThresholdCrossed.self, from: json)
            self = .thresholdCrossed(budgetID: m.budgetID, windowStart: m.windowStart.date, percent: m.percent,
                                     used: Amount(m.used), at: m.crossedAt.date)
        case .exhausted:
            let m = try Kind.exhausted.decode(Eventloom_V1_BudgetExhausted.self, from: json)
            self = .exhausted(budgetID: m.budgetID, windowStart: m.windowStart.date, used: Amount(m.used), at: m.exhaustedAt.date)
        }
    }
}
