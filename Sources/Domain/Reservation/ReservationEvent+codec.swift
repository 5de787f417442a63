import Foundation
import Schemas
import SwiftProtobuf

extension ReservationEvent: EventFamily {
    /// Every type a reservation writes, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case opened = "ReservationOpened"
        case settled = "ReservationSettled"
        case released = "ReservationReleased"
        case expired = "ReservationExpired"

        public var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .opened: Eventloom_V1_ReservationOpened.self
            case .settled: Eventloom_V1_ReservationSettled.self
            case .released: Eventloom_V1_ReservationReleased.self
            case .expired: Eventloom_V1_ReservationExpired.self
            }
        }

        public var personalFields: PersonalFields { .none }
    }

    public var kind: Kind {
        switch self {
        case .opened: .opened
        case .settled: .settled
        case .released: .released
        case .expired: .expired
        }
    }

    public func jsonData() throws -> String {
        switch self {
        case .opened(let grant):
            try kind.encode(grant.proto)
        case .settled(let settlement):
            try kind.encode(settlement.proto)
        case .released(let reservationID, let refunded, let at):
            try kind.encode(Eventloom_V1_ReservationReleased.with {
                $0.reservationID = reservationID; $0.refunded = refunded.proto; $0.releasedAt = at.timestamp
            })
        case .expired(let reservationID, let refunded, let at):
            try kind.encode(Eventloom_V1_ReservationExpired.with {
                $0.reservationID = reservationID; $0.refunded = refunded.proto; $0.expiredAt = at.timestamp
            })
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        switch try Kind.named(type, schemaVersion: schemaVersion) {
        case .opened:
            self = .opened(ReservationGrant(try Kind.opened.decode(Eventloom_V1_ReservationOpened.self, from: json)))
        case .settled:
            self = .settled(try Settlement(try Kind.settled.decode(Eventloom_V1_ReservationSettled.self, from: json), type: type))
        case .released:
            let m = try Kind.released.decode(Eventloom_V1_ReservationReleased.self, from: json)
            self = .released(reservationID: m.reservationID, refunded: Amount(m.refunded), at: m.releasedAt.date)
        case .expired:
            let m = try Kind.expired.decode(Eventloom_V1_ReservationExpired.self, from: json)
            self = .expired(reservationID: m.reservationID, refunded: Amount(m.refunded), at: m.expiredAt.date)
        }
    }
}

extension ReservationGrant {
    var proto: Eventloom_V1_ReservationOpened {
        .with { m in
            m.reservationID = reservationID
            m.requestID = requestID
            if let keyID { m.keyID = keyID }
            m.holds = holds.map { hold in .with { $0.budgetID = hold.budgetID; $0.windowStart = hold.windowStart.timestamp } }
            m.requestedModel = requestedModel
            m.model = model
            m.promptTokens = promptTokens
            m.maxCompletionTokens = maxCompletionTokens
            m.amount = amount.proto
            m.price = price.proto
            m.expiresAt = expiresAt.timestamp
            m.openedAt = openedAt.timestamp
        }
    }

    init(_ m: Eventloom_V1_ReservationOpened) {
        self.init(reservationID: m.reservationID, requestID: m.requestID, keyID: m.keyID.isEmpty ? nil : m.keyID,
                  holds: m.holds.map { BudgetHold(budgetID: $0.budgetID, windowStart: $0.windowStart.date) },
                  requestedModel: m.requestedModel, model: m.model, promptTokens: m.promptTokens,
                  maxCompletionTokens: m.maxCompletionTokens, amount: Amount(m.amount), price: AppliedPrice(m.price),
                  expiresAt: m.expiresAt.date, openedAt: m.openedAt.date)
    }
}

extension Settlement {
    var proto: Eventloom_V1_ReservationSettled {
        .with { m in
            m.reservationID = reservationID
            m.outcome = outcome.rawValue
            if let upstreamUsage { m.upstreamUsage = upstreamUsage.proto }
            if let localEstimate { m.localEstimate = localEstimate.proto }
            m.rule = rule.rawValue
            m.billed = billed.proto
            m.cost = cost.proto
            m.charged = charged.proto
            m.uncovered = uncovered.proto
            m.refunded = refunded.proto
            m.settledAt = at.timestamp
            m.late = late
        }
    }

    init(_ m: Eventloom_V1_ReservationSettled, type: String) throws {
        guard let outcome = StreamOutcome(rawValue: m.outcome), let rule = BillingRule(rawValue: m.rule) else {
            throw EventCodingError.invalidPayload(type: type, reason: "unknown outcome \"\(m.outcome)\" or rule \"\(m.rule)\"")
        }
        self.init(reservationID: m.reservationID, outcome: outcome,
                  upstreamUsage: m.hasUpstreamUsage ? TokenUsage(m.upstreamUsage) : nil,
                  localEstimate: m.hasLocalEstimate ? TokenUsage(m.localEstimate) : nil, rule: rule,
                  billed: TokenUsage(m.billed), cost: Amount(m.cost), charged: Amount(m.charged),
                  uncovered: Amount(m.uncovered), refunded: Amount(m.refunded), at: m.settledAt.date, late: m.late)
    }
}
