import Domain
import EventStore
import Foundation
import Hummingbird

/// `GET /v1/sessions/{id}/export?format=json|markdown` and `POST /v1/sessions/import`.
struct SessionExportController {
    let store: EventStore
    let database: TenantDatabase
    let consistency: Consistency
    let maximumImportSize: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/sessions/:id/export") { request, context in try await export(request, context) }
        router.post("/v1/sessions/import") { request, context in try await importSession(request, context) }
    }

    private func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try SessionAccess.reading(try context.requireCaller())
        let id = try context.parameters.require("id")
        let input = QueryInput(request: request)
        let format = try input.string("format", maximumLength: 10) ?? "json"
        guard format == "json" || format == "markdown" else { throw APIError.invalid("format", "must be json or markdown") }
        if let cursor = try input.consistentWith() { try await consistency.wait(for: "sessions", toReach: cursor) }
        let queries = SessionQueries(database: database)
        guard SessionValidation.isIdentifier(id), let session = try await queries.session(tenant: access.tenant, id: id) else {
            throw APIError.notFound("no session \(id)")
        }
        try access.requireVisible(ownerID: session.owner, sessionID: id)
        let messages = try await queries.messages(tenant: access.tenant, sessionID: id)
        if format == "markdown" {
            let text = SessionMarkdown.render(session, branch: ActiveBranch.path(to: session.activeMessageId, in: messages))
            return Response(status: .ok, headers: [.contentType: "text/markdown; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let body = try JSONCoding.encoder.encode(SessionExport(session, messages: messages))
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private func importSession(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<SessionView> {
        let access = try SessionAccess.writing(try context.requireCaller())
        let document = try await JSONBody(request: request, context: context, limit: maximumImportSize).decode(SessionExport.self)
        let owner = try access.owner(requested: request.uri.queryParameters["owner"].map(String.init))
        let sessionID = try SessionIDs.new("ses", request: request, scope: "\(access.tenant)\u{0}\(owner)\u{0}import")
        let commands = try document.commands(sessionID: sessionID, ownerID: owner, now: APITime.truncatedToMicroseconds(Date()))
        let outcome = try await SessionIDs.idempotent(derived: SessionIDs.derived(nil, request)) {
            try await SessionWrites(store: store).start(commands, sessionID: sessionID, access: access, ownerID: owner,
                                                        request: request, context: context)
        }
        guard case .started(let record) = outcome.state else { throw SessionError.notStarted }
        return WriteResponse.make(SessionView(record, version: outcome.version), status: outcome.append == nil ? .ok : .created,
                                  version: outcome.version, position: outcome.append?.lastCursor, replayed: outcome.append == nil)
    }
}
