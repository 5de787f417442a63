import Domain
import Hummingbird

extension SessionReads {
    /// The session a read route names (`:id`), once the read model has the cursor the
    /// request asks for, if the caller may see it; else 404.
    func visibleSession(_ request: Request, _ context: AppRequestContext,
                        consistency: Consistency) async throws -> (view: SessionView, access: SessionAccess) {
        let access = try SessionAccess.reading(try context.requireCaller())
        let id = try PathInput(context: context).string("id")
        try await consistency.wait(for: "sessions", askedBy: request)
        guard SessionValidation.isIdentifier(id), let view = try await session(tenant: access.tenant, id: id) else {
            throw APIError.notFound("no session \(id)")
        }
        try access.requireVisible(ownerID: view.owner, sessionID: id)
        return (view, access)
    }
}
