import Domain

/// Which sessions a caller may touch. A key with a user (its profile's `user_id`) sees and
/// writes only that user's sessions; a key of the tenant as a whole sees every session of
/// the tenant. Any other session is answered 404, as if it did not exist.
struct SessionAccess {
    let caller: Caller

    /// The caller of a read: reader, operator, admin or auditor.
    static func reading(_ caller: Caller) throws -> SessionAccess {
        try caller.require(.reader, .operator, .admin, .auditor)
        return SessionAccess(caller: caller)
    }

    /// The caller of a write: operator or admin.
    static func writing(_ caller: Caller) throws -> SessionAccess {
        try caller.require(.operator, .admin)
        return SessionAccess(caller: caller)
    }

    var tenant: String { caller.tenant }

    /// The only owner this caller sees; nil: every owner of the tenant.
    var ownerScope: String? { caller.userID }

    /// The owner of a session this caller starts.
    /// - Throws: 400 when a tenant-wide key names none, 403 when a user's key names another user.
    func owner(requested: String?) throws -> String {
        if let user = caller.userID {
            guard requested == nil || requested == user else {
                throw APIError.forbidden("this key acts for user \(user) and cannot start sessions of another owner")
            }
            return user
        }
        guard let requested else { throw APIError.invalid("owner", "is required with a key that is not bound to a user") }
        try SessionValidation.identifier(requested, field: "owner")
        return requested
    }

    /// - Throws: 404 unless the caller may see a session of `ownerID`.
    func requireVisible(ownerID: String, sessionID: String) throws {
        if let user = caller.userID, user != ownerID { throw APIError.notFound("no session \(sessionID)") }
    }

    /// - Throws: 404 unless the session exists and the caller may see it.
    func requireVisible(_ state: SessionState, sessionID: String) throws {
        guard case .started(let record) = state else { throw APIError.notFound("no session \(sessionID)") }
        try requireVisible(ownerID: record.ownerID, sessionID: sessionID)
    }
}
