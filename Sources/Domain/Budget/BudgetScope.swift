/// Whose spending a budget bounds.
public struct BudgetScope: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case tenant, department, user, key
    }

    public var kind: Kind
    /// The department, user or key id; empty for the tenant.
    public var id: String

    public init(kind: Kind, id: String = "") {
        self.kind = kind
        self.id = id
    }
}
