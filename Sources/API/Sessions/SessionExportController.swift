import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// `GET /v1/sessions/{id}/export?format=json|markdown` and `POST /v1/sessions/import`.
struct SessionExportController {
    let writes: SessionWrites
    let database: TenantDatabase
    let consistency: Consistency
    let maximumImportSize: Int
    let clock: WallClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/sessions/:id/export") { request, context in try await export(request, context) }
        router.post("/v1/sessions/import") { request, context in try await importSession(request, context) }
    }

    private func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let queries = SessionReads(database: database)
        let (session, access) = try await queries.visibleSession(request, context, consistency: consistency)
        let format = try QueryInput(request: request).string("format", maximumLength: 10) ?? "json"
        guard format == "json" || format == "markdown" else { throw APIError.invalid("format", "must be json or markdown") }
        let messages = try await queries.messages(tenant: access.tenant, sessionID: session.id)
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
        let owner = try access.owner(requested: QueryInput(request: request).string("owner", maximumLength: SessionLimits.maximumIdentifierLength))
        let sessionID = try SessionIDs.new("ses", request: request, scope: "\(access.tenant)\u{0}\(owner)\u{0}import")
        let commands = try document.commands(sessionID: sessionID, ownerID: owner, now: clock.now())
        let outcome = try await SessionIDs.idempotent(derived: SessionIDs.derived(nil, request)) {
            try await writes.start(commands, sessionID: sessionID, access: access, ownerID: owner,
                                                        request: request, context: context)
        }
        guard case .started(let record) = outcome.state else { throw SessionError.notStarted }
        return WriteResponse.make(SessionView(record, version: outcome.version), status: outcome.append == nil ? .ok : .created,
                                  version: outcome.version, position: outcome.append?.lastCursor, replayed: outcome.append == nil)
    }
}
