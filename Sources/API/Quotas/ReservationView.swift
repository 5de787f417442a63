import Domain
import Foundation
import Hummingbird

/// A reservation as the API shows it: the grant, and how it was closed.
struct ReservationView: ResponseEncodable, Equatable {
    struct Price: Codable, Equatable {
        let model: String
        let price: PriceView
        let group: String
        let multiplier: String
    }

    struct SettlementView: Codable, Equatable {
        let outcome: String
        let rule: String
        let upstreamUsage: UsageView?
        let localEstimate: UsageView?
        let billed: UsageView
        let cost: AmountView
        let charged: AmountView
        let uncovered: AmountView
        let refunded: AmountView
        let settledAt: String
        /// Settled after the reservation expired (see ``Domain/Settlement/late``).
        let late: Bool
    }

    let id: String
    let requestId: String
    let status: String
    let budgetId: String
    let chain: [String]
    let keyId: String?
    let requestedModel: String
    let model: String
    let degraded: Bool
    let promptTokens: Int64
    let maxCompletionTokens: Int64
    let hold: AmountView
    let price: Price
    let expiresAt: String
    let openedAt: String
    let closedAt: String?
    let settlement: SettlementView?
    let streamVersion: Int64

    init?(_ state: ReservationState, version: Int64) {
        guard let grant = state.grant else { return nil }
        id = grant.reservationID
        requestId = grant.requestID
        status = state.status ?? "none"
        budgetId = grant.holds.first?.budgetID ?? ""
        chain = grant.holds.map(\.budgetID)
        keyId = grant.keyID
        requestedModel = grant.requestedModel
        model = grant.model
        degraded = grant.isDegraded
        promptTokens = grant.promptTokens
        maxCompletionTokens = grant.maxCompletionTokens
        hold = AmountView(grant.amount)
        price = Price(model: grant.price.model, price: PriceView(grant.price.price), group: grant.price.group,
                      multiplier: USD.text(micros: grant.price.multiplierPPM))
        expiresAt = APITime.text(grant.expiresAt)
        openedAt = APITime.text(grant.openedAt)
        streamVersion = version
        switch state {
        case .settled(_, let s):
            closedAt = APITime.text(s.at)
            settlement = SettlementView(
                outcome: s.outcome.rawValue, rule: s.rule.rawValue, upstreamUsage: s.upstreamUsage.map(UsageView.init),
                localEstimate: s.localEstimate.map(UsageView.init), billed: UsageView(s.billed), cost: AmountView(s.cost),
                charged: AmountView(s.charged), uncovered: AmountView(s.uncovered), refunded: AmountView(s.refunded),
                settledAt: APITime.text(s.at), late: s.late)
        case .released(_, let at), .expired(_, let at):
            closedAt = APITime.text(at)
            settlement = nil
        case .open, .none:
            closedAt = nil
            settlement = nil
        }
    }
}
