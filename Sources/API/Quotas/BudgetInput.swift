import Domain
import Foundation

/// The body of `POST /v1/budgets`.
struct BudgetInput: Decodable {
    struct Scope: Decodable {
        let kind: String
        let id: String?
    }

    struct Overflow: Decodable {
        let strategy: String
        let maxWaitMs: Int64?
        let models: [String: DegradeTo]?
    }

    struct DegradeTo: Decodable {
        let model: String
        let maxCompletionTokens: Int64
    }

    let id: String?
    let name: String
    let scope: Scope
    let parentId: String?
    let limit: LimitView
    let period: String
    let windowSeconds: Int64?
    let timeZone: String?
    let anchor: String?
    let thresholds: [Int64]?
    let hard: Bool?
    let rolloverCap: LimitView?
    let overflow: Overflow?

    /// The definition this body asks for, under the id given or a new one.
    /// - Throws: ``APIError`` 400 naming the first field that is malformed.
    func definition(now: Date) throws -> BudgetDefinition {
        guard let kind = BudgetScope.Kind(rawValue: scope.kind) else {
            throw APIError.invalid("scope.kind", "must be one of tenant, department, user, key")
        }
        let anchor = try APITime.parse(anchor, field: "anchor")
            ?? BudgetPeriod.day.window(containing: now, timeZone: TimeZone(identifier: timeZone ?? "UTC") ?? .gmt, anchor: now).start
        guard anchor.timeIntervalSince1970.rounded(.down) == anchor.timeIntervalSince1970 else {
            throw APIError.invalid("anchor", "must be a whole second")
        }
        return BudgetDefinition(
            budgetID: id ?? UUID().uuidString.lowercased(), name: name, scope: BudgetScope(kind: kind, id: scope.id ?? ""),
            parentID: parentId, limit: try limit.limit(field: "limit"), period: try budgetPeriod(), timeZone: timeZone ?? "UTC",
            anchor: anchor, thresholds: thresholds ?? [], hard: hard ?? true,
            rolloverCap: try rolloverCap.map { try $0.amount(field: "rollover_cap") }, overflow: try overflowStrategy())
    }

    private func budgetPeriod() throws -> BudgetPeriod {
        switch period {
        case "day": return .day
        case "week": return .week
        case "month": return .month
        case "fixed":
            guard let windowSeconds else { throw APIError.invalid("window_seconds", "is required for a fixed period") }
            return .fixed(seconds: windowSeconds)
        default: throw APIError.invalid("period", "must be one of day, week, month, fixed")
        }
    }

    private func overflowStrategy() throws -> OverflowStrategy {
        guard let overflow else { return .reject }
        switch overflow.strategy {
        case "reject": return .reject
        case "queue": return .queue(maxWaitMillis: overflow.maxWaitMs ?? 5_000)
        case "degrade":
            let models = (overflow.models ?? [:]).mapValues { Degradation(model: $0.model, maxCompletionTokens: $0.maxCompletionTokens) }
            return .degrade(models: models)
        default: throw APIError.invalid("overflow.strategy", "must be one of reject, queue, degrade")
        }
    }
}
