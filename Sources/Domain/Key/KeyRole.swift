/// What a key may do.
public enum KeyRole: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Manage keys, budgets, channels and projections.
    case admin
    /// Write domain commands.
    case `operator`
    /// Queries and live streams.
    case reader
    /// The audit log, replay and verification.
    case auditor

    public static func < (lhs: KeyRole, rhs: KeyRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
