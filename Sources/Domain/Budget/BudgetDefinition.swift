import Foundation

/// Everything that defines a budget: whose it is, what it allows per window, and what
/// happens near and beyond its limit.
public struct BudgetDefinition: Sendable, Hashable, Codable {
    public var budgetID: String
    public var name: String
    public var scope: BudgetScope
    /// The next budget up the chain (key → user → department → tenant); every reservation
    /// on this budget also counts against the parent and its ancestors.
    public var parentID: String?
    public var limit: BudgetLimit
    public var period: BudgetPeriod
    /// An IANA time zone id, e.g. "Europe/Berlin"; calendar windows start at its midnights.
    public var timeZone: String
    /// Where fixed windows are counted from.
    public var anchor: Date
    /// Percentages of the limit (1–99) that raise an alert when first reached in a window.
    public var thresholds: [Int64]
    /// A hard limit refuses what does not fit; a soft one only alerts.
    public var hard: Bool
    /// How much unused budget a window carries into the next, at most; nil: none.
    public var rolloverCap: Amount?
    public var overflow: OverflowStrategy

    public init(
        budgetID: String, name: String, scope: BudgetScope, parentID: String? = nil, limit: BudgetLimit,
        period: BudgetPeriod, timeZone: String = "UTC", anchor: Date = Date(timeIntervalSince1970: 0),
        thresholds: [Int64] = [], hard: Bool = true, rolloverCap: Amount? = nil, overflow: OverflowStrategy = .reject
    ) {
        self.budgetID = budgetID
        self.name = name
        self.scope = scope
        self.parentID = parentID
        self.limit = limit
        self.period = period
        self.timeZone = timeZone
        self.anchor = anchor
        self.thresholds = thresholds
        self.hard = hard
        self.rolloverCap = rolloverCap
        self.overflow = overflow
    }

    /// The window holding `instant`.
    public func window(containing instant: Date) -> BudgetWindow {
        period.window(containing: instant, timeZone: TimeZone(identifier: timeZone) ?? .gmt, anchor: anchor)
    }
}
