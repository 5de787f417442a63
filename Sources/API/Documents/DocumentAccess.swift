import Domain

/// Which documents a caller may touch. A key with a user sees shared documents and that
/// user's private ones; a key of the tenant as a whole sees every document of the tenant.
/// Any other document is answered 404, as if it did not exist.
struct DocumentAccess {
    let caller: Caller

    /// The caller of a read: reader, operator, admin or auditor.
    static func reading(_ caller: Caller) throws -> DocumentAccess {
        try caller.require(.reader, .operator, .admin, .auditor)
        return DocumentAccess(caller: caller)
    }

    /// The caller of a write: operator or admin.
    static func writing(_ caller: Caller) throws -> DocumentAccess {
        try caller.require(.operator, .admin)
        return DocumentAccess(caller: caller)
    }

    var tenant: String { caller.tenant }

    /// Who the caller writes as: the key's user, else the key.
    var author: String { caller.userID ?? caller.actor }

    /// The owner of a document this caller creates.
    /// - Throws: 403 when a user's key names another user.
    func owner(requested: String?) throws -> String {
        if let user = caller.userID {
            guard requested == nil || requested == user else {
                throw APIError.forbidden("this key acts for user \(user) and cannot create documents of another owner")
            }
            return user
        }
        return requested ?? caller.actor
    }

    /// - Throws: 404 unless the document exists and the caller may see it.
    func requireVisible(_ state: DocumentState, documentID: String) throws {
        guard let record = state.record else { throw APIError.notFound("no document \(documentID)") }
        if record.isPrivate, let user = caller.userID, user != record.ownerID {
            throw APIError.notFound("no document \(documentID)")
        }
    }
}
