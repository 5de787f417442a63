import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// A tenant's data subjects (docs/erasure.md): `POST /v1/subjects/{id}/erasure` (admin)
/// erases one; `GET /v1/subjects/{id}/export` streams every event and read-model row about
/// one (admin or auditor of the whole tenant, or a key acting for that very subject).
struct SubjectsController {
    let store: EventStore
    let database: TenantDatabase
    let maximumBodySize: Int
    let clock: WallClock

    struct ErasureRequest: Decodable {
        let reason: String
    }

    struct ErasureView: ResponseEncodable, PositionedBody {
        let subjectId: String
        let erasedAt: String
        let reason: String
        var position: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/subjects/:id/erasure") { request, context in try await erase(request, context) }
        router.get("/v1/subjects/:id/export") { request, context in try await export(request, context) }
    }

    /// 404 for a subject nothing is recorded about, 409 for a second erasure, 400
    /// for a missing or overlong reason; nothing is written when refused.
    private func erase(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ErasureView> {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        try caller.requireTenantWide()
        let subject = try Self.subject(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ErasureRequest.self)
        // A subject with no key may still have rows in read models (written in clear before
        // personal data was encrypted): those are blanked, and later writes refused.
        if try await store.subjectKeyState(tenant: caller.tenant, subject: subject) == .unknown,
           try await !SubjectExport(store: store, database: database, tenant: caller.tenant, subject: subject).hasRows() {
            throw APIError.notFound("no data subject \(subject): nothing about it is recorded")
        }
        let outcome = try await CommandHandler(store: store, decider: DataSubject.self).erase(
            .erase(subjectID: subject, reason: body.reason, at: clock.now()), tenant: caller.tenant,
            metadata: RequestMetadata(request, context).metadata)
        guard case .erased(let at, let reason) = outcome.state else { throw APIError.notFound("no data subject \(subject)") }
        return WriteResponse.make(ErasureView(subjectId: subject, erasedAt: APITime.text(at), reason: reason),
                                  version: outcome.version, position: outcome.append?.lastCursor)
    }

    private func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let subject = try Self.subject(context)
        if caller.userID != subject {
            try caller.require(.admin, .auditor)
            try caller.requireTenantWide()
        }
        let export = SubjectExport(store: store, database: database, tenant: caller.tenant, subject: subject)
        let through = try await export.start()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json",
                      .contentDisposition: "attachment; filename=\"subject-export.json\""],
            body: ResponseBody { writer in try await export.write(through: through, to: &writer) })
    }

    /// The subject named by the path; 404 for an id no subject can have.
    private static func subject(_ context: AppRequestContext) throws -> String {
        let id = try PathInput(context: context).string("id")
        guard Identifiers.isValidStream(DataSubject.stream(id)) else { throw APIError.notFound("no data subject \(id)") }
        return id
    }
}
