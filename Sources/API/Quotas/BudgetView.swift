import Domain
import Foundation
import Hummingbird

/// A budget as the API shows it: its definition, its chain, and its current window.
struct BudgetView: ResponseEncodable, Equatable {
    struct Scope: Codable, Equatable {
        let kind: String
        let id: String
    }

    struct Overflow: Codable, Equatable {
        let strategy: String
        let maxWaitMs: Int64?
        let models: [String: Degrade]?
    }

    struct Degrade: Codable, Equatable {
        let model: String
        let maxCompletionTokens: Int64
    }

    struct Window: Codable, Equatable {
        let start: String
        let end: String
        let limit: LimitView
        let rollover: AmountView
        let consumed: AmountView
        let reserved: AmountView
        let remaining: LimitView
        let crossedThresholds: [Int64]
        /// "ok", "alert" (a threshold crossed) or "exhausted".
        let status: String
    }

    let id: String
    let name: String
    let scope: Scope
    let parentId: String?
    let chain: [String]?
    let limit: LimitView
    let period: String
    let windowSeconds: Int64?
    let timeZone: String
    let anchor: String
    let thresholds: [Int64]
    let hard: Bool
    let rolloverCap: AmountView?
    let overflow: Overflow
    let window: Window?
    let streamVersion: Int64?
    let position: String?

    init(_ d: BudgetDefinition, chain: [String]? = nil, window: Window? = nil, streamVersion: Int64? = nil, position: String? = nil) {
        id = d.budgetID
        name = d.name
        scope = Scope(kind: d.scope.kind.rawValue, id: d.scope.id)
        parentId = d.parentID
        self.chain = chain
        limit = LimitView(d.limit)
        switch d.period {
        case .day: (period, windowSeconds) = ("day", nil)
        case .week: (period, windowSeconds) = ("week", nil)
        case .month: (period, windowSeconds) = ("month", nil)
        case .fixed(let seconds): (period, windowSeconds) = ("fixed", seconds)
        }
        timeZone = d.timeZone
        anchor = APITime.text(d.anchor)
        thresholds = d.thresholds
        hard = d.hard
        rolloverCap = d.rolloverCap.map(AmountView.init)
        overflow = switch d.overflow {
        case .reject: Overflow(strategy: "reject", maxWaitMs: nil, models: nil)
        case .queue(let wait): Overflow(strategy: "queue", maxWaitMs: wait, models: nil)
        case .degrade(let models):
            Overflow(strategy: "degrade", maxWaitMs: nil,
                     models: models.mapValues { Degrade(model: $0.model, maxCompletionTokens: $0.maxCompletionTokens) })
        }
        self.window = window
        self.streamVersion = streamVersion
        self.position = position
    }
}

extension BudgetView.Window {
    init(_ ledger: WindowLedger, rollover: Amount) {
        start = APITime.text(ledger.window.start)
        end = APITime.text(ledger.window.end)
        limit = LimitView(ledger.limit)
        self.rollover = AmountView(rollover)
        consumed = AmountView(ledger.consumed)
        reserved = AmountView(ledger.reserved)
        let left = ledger.remaining
        remaining = LimitView(BudgetLimit(tokens: ledger.limit.tokens.map { _ in left.tokens },
                                          nanoUSD: ledger.limit.nanoUSD.map { _ in left.nanoUSD }))
        crossedThresholds = ledger.crossed
        status = ledger.exhausted || ledger.limit.percentUsed(by: ledger.used) >= 100 ? "exhausted"
            : ledger.crossed.isEmpty ? "ok" : "alert"
    }
}
