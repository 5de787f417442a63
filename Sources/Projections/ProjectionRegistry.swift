/// The read models Eventloom ships, by name.
public enum ProjectionRegistry {
    public static let all: [any Projection] = [
        AuditProjection(), KeysProjection(), QuotasProjection(), SessionsProjection(), LocksProjection(), DocumentsProjection(),
        IngestionProjection(),
    ]

    public static var names: [String] { all.map(\.name) }

    /// The projections named in `names`, in registry order; every one when `names` is nil.
    /// - Throws: ``ProjectionError/unknownProjection(_:)`` for a name that is not one, and
    ///   what ``Projection/validate()`` throws for a projection that subscribes to an unknown type.
    public static func select(_ names: [String]?) throws -> [any Projection] {
        for name in names ?? [] where !self.names.contains(name) { throw ProjectionError.unknownProjection(name) }
        let chosen = names.map { names in all.filter { names.contains($0.name) } } ?? all
        for projection in chosen { try projection.validate() }
        return chosen
    }
}
