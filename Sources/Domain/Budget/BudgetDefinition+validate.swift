import Foundation

extension BudgetDefinition {
    /// The longest budget or model name, in characters.
    public static let maximumNameLength = 100
    /// The largest limit or rollover cap in either unit: 10^17 (tokens, or nano-USD = $100 million).
    public static let maximumAmount: Int64 = 100_000_000_000_000_000
    /// The most soft thresholds a budget may have.
    public static let maximumThresholds = 10
    /// The most models a degrading budget may map.
    public static let maximumDegradations = 100

    /// - Throws: ``BudgetError/invalidDefinition(reason:)`` naming the first rule broken.
    public func validate() throws {
        if let reason = firstProblem() { throw BudgetError.invalidDefinition(reason: reason) }
    }

    private func firstProblem() -> String? {
        if !Self.isIdentifier(budgetID) { return "the budget id must be 1-100 of A-Z a-z 0-9 _ . : -" }
        if !Self.isName(name) { return "name must be 1-\(Self.maximumNameLength) printable characters" }
        if scope.kind != .tenant, !Self.isName(scope.id) { return "a \(scope.kind.rawValue) scope needs an id" }
        if let parentID, !Self.isIdentifier(parentID) || parentID == budgetID { return "parent_id must name another budget" }
        if limit.isUnlimited { return "a budget limits tokens, USD or both" }
        if ![limit.tokens, limit.nanoUSD].allSatisfy({ $0.map { (0...Self.maximumAmount).contains($0) } ?? true }) {
            return "limits are 0 to 10^17 tokens and 10^17 nano-USD ($100 million)"
        }
        if TimeZone(identifier: timeZone) == nil { return "unknown time zone \"\(timeZone)\"" }
        if case .fixed(let seconds) = period,
           !(BudgetPeriod.minimumFixedSeconds...BudgetPeriod.maximumFixedSeconds).contains(seconds) {
            return "a fixed window lasts 1 minute to 366 days"
        }
        if thresholds.count > Self.maximumThresholds || !thresholds.allSatisfy({ (1...99).contains($0) }) {
            return "thresholds are at most \(Self.maximumThresholds) percentages from 1 to 99"
        }
        if let cap = rolloverCap, !(0...Self.maximumAmount).contains(cap.tokens) || !(0...Self.maximumAmount).contains(cap.nanoUSD) {
            return "the rollover cap is 0 to 10^17 tokens and 10^17 nano-USD"
        }
        return overflowProblem()
    }

    private func overflowProblem() -> String? {
        switch overflow {
        case .reject: return nil
        case .queue(let wait):
            return (1...OverflowStrategy.maximumWaitMillis).contains(wait) ? nil : "a queue waits 1 ms to 60 s"
        case .degrade(let models):
            guard !models.isEmpty, models.count <= Self.maximumDegradations else {
                return "degrade maps 1-\(Self.maximumDegradations) models"
            }
            let valid = models.allSatisfy { Self.isName($0.key) && Self.isName($0.value.model) && $0.value.maxCompletionTokens > 0 }
            return valid ? nil : "each degradation names two models and a positive max_completion_tokens"
        }
    }

    /// True for 1-100 of `[A-Za-z0-9_.:-]`, which fits in a stream id.
    public static func isIdentifier(_ text: String) -> Bool {
        (1...maximumNameLength).contains(text.utf8.count)
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.:-".unicodeScalars.contains($0)) }
    }

    /// True for 1-100 characters, none of them a control character.
    public static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= maximumNameLength
            && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
