import Foundation
import Schemas

extension BudgetDefinition {
    func proto(at: Date) -> Eventloom_V1_BudgetDefined {
        .with { m in
            m.budgetID = budgetID
            m.name = name
            m.scopeKind = scope.kind.rawValue
            m.scopeID = scope.id
            if let parentID { m.parentID = parentID }
            m.limit = limit.proto
            switch period {
            case .day: m.period = "day"
            case .week: m.period = "week"
            case .month: m.period = "month"
            case .fixed(let seconds): m.period = "fixed"; m.fixedSeconds = seconds
            }
            m.timeZone = timeZone
            m.anchor = anchor.timestamp
            m.thresholds = thresholds
            m.hard = hard
            if let rolloverCap { m.rolloverCap = rolloverCap.proto }
            switch overflow {
            case .reject: m.overflow = "reject"
            case .queue(let wait): m.overflow = "queue"; m.queueMaxWaitMillis = wait
            case .degrade(let models):
                m.overflow = "degrade"
                m.degradations = models.mapValues { d in .with { $0.model = d.model; $0.maxCompletionTokens = d.maxCompletionTokens } }
            }
            m.definedAt = at.timestamp
        }
    }

    init(_ m: Eventloom_V1_BudgetDefined, type: String) throws {
        guard let kind = BudgetScope.Kind(rawValue: m.scopeKind) else {
            throw EventCodingError.invalidPayload(type: type, reason: "unknown scope kind \"\(m.scopeKind)\"")
        }
        let period: BudgetPeriod
        switch m.period {
        case "day": period = .day
        case "week": period = .week
        case "month": period = .month
        case "fixed": period = .fixed(seconds: m.fixedSeconds)
        default: throw EventCodingError.invalidPayload(type: type, reason: "unknown period \"\(m.period)\"")
        }
        let overflow: OverflowStrategy
        switch m.overflow {
        case "reject": overflow = .reject
        case "queue": overflow = .queue(maxWaitMillis: m.queueMaxWaitMillis)
        case "degrade":
            overflow = .degrade(models: m.degradations.mapValues { Degradation(model: $0.model, maxCompletionTokens: $0.maxCompletionTokens) })
        default: throw EventCodingError.invalidPayload(type: type, reason: "unknown overflow \"\(m.overflow)\"")
        }
        self.init(budgetID: m.budgetID, name: m.name, scope: BudgetScope(kind: kind, id: m.scopeID),
                  parentID: m.parentID.isEmpty ? nil : m.parentID, limit: BudgetLimit(m.limit), period: period,
                  timeZone: m.timeZone, anchor: m.anchor.date, thresholds: m.thresholds, hard: m.hard,
                  rolloverCap: m.hasRolloverCap ? Amount(m.rolloverCap) : nil, overflow: overflow)
    }
}
