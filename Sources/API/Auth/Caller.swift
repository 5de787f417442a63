import Domain

/// Who is calling: a key of one tenant, with roles.
public struct Caller: Sendable, Equatable {
    public let tenant: String
    public let keyID: String
    public let roles: Set<KeyRole>
    /// The user the key acts for (its profile's `user_id`); nil for a key of the tenant as a whole.
    public var userID: String? = nil

    /// Whether this is the system tenant's admin (it issues tenant keys).
    var isSystemAdmin: Bool { tenant == APIConfiguration.systemTenant && roles.contains(.admin) }

    /// - Throws: ``APIError`` 403 unless the caller has one of `roles`.
    func require(_ roles: KeyRole...) throws {
        guard !self.roles.isDisjoint(with: roles) else {
            throw APIError.forbidden("this needs a key with the role \(roles.map(\.rawValue).joined(separator: " or "))")
        }
    }

    /// - Throws: ``APIError`` 403 for a key bound to a user: it reads its own sessions, never
    ///   the tenant's log, audit or usage.
    func requireTenantWide() throws {
        if let userID {
            throw APIError.forbidden("this key acts for user \(userID); the tenant's log, audit and usage need a key of the whole tenant")
        }
    }

    /// The metadata actor of what this caller writes.
    var actor: String { "key:\(keyID)" }
}
