import Foundation

/// A budget: its definition and the accounts of its current and previous windows
/// (settlements of reservations made in the previous window still land there).
public struct BudgetState: Sendable, Hashable, Codable {
    public var definition: BudgetDefinition?
    public var current: WindowLedger?
    public var previous: WindowLedger?

    public init(definition: BudgetDefinition? = nil, current: WindowLedger? = nil, previous: WindowLedger? = nil) {
        self.definition = definition
        self.current = current
        self.previous = previous
    }

    /// The ledger of the window starting at `start`, if still kept.
    public func ledger(startingAt start: Date) -> WindowLedger? {
        if current?.window.start == start { return current }
        if previous?.window.start == start { return previous }
        return nil
    }
}
