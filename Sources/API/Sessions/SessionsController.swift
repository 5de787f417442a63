import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// `POST /v1/sessions` starts a session; `GET /v1/sessions` lists them (filters, cursor
/// pages); `GET`, `PATCH` and `DELETE /v1/sessions/{id}` read, change and soft-delete one;
/// `GET /v1/sessions/search` finds sessions and messages by words or phrases (of one owner's
/// sessions with `owner`, or always for a key bound to a user).
struct SessionsController {
    let writes: SessionWrites
    let database: TenantDatabase
    let consistency: Consistency
    let maximumBodySize: Int
    let maximumPageSize: Int
    let clock: WallClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/sessions") { request, context in try await start(request, context) }
        router.get("/v1/sessions") { request, context in try await list(request, context) }
        router.get("/v1/sessions/search") { request, context in try await search(request, context) }
        router.get("/v1/sessions/:id") { request, context in try await show(request, context) }
        router.patch("/v1/sessions/:id") { request, context in try await change(request, context) }
        router.delete("/v1/sessions/:id") { request, context in try await delete(request, context) }
    }

    private func start(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<SessionView> {
        let access = try SessionAccess.writing(try context.requireCaller())
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(StartSessionBody.self)
        let owner = try access.owner(requested: body.owner)
        if body.sessionId != nil, access.ownerScope != nil {
            // Whether another user's session has that id must not show: such keys get ids made for them.
            throw APIError.invalid("session_id", "a key bound to a user cannot choose session ids; send an Idempotency-Key instead")
        }
        let sessionID = try body.sessionId ?? SessionIDs.new("ses", request: request, scope: "\(access.tenant)\u{0}\(owner)")
        let now = clock.now()
        var commands: [SessionCommand] = [.start(sessionID: sessionID, ownerID: owner, title: body.title, config: body.config.config, at: now)]
        if let tags = body.tags { commands.append(.tag(tags, at: now)) }
        let outcome = try await SessionIDs.idempotent(derived: SessionIDs.derived(body.sessionId, request)) {
            try await writes.start(commands, sessionID: sessionID, access: access, ownerID: owner,
                                                        request: request, context: context)
        }
        guard case .started(let record) = outcome.state else { throw SessionError.notStarted }
        return WriteResponse.make(SessionView(record, version: outcome.version), status: outcome.append == nil ? .ok : .created,
                                  version: outcome.version, position: outcome.append?.lastCursor, replayed: outcome.append == nil)
    }

    private func show(_ request: Request, _ context: AppRequestContext) async throws -> SessionView {
        try await SessionReads(database: database).visibleSession(request, context, consistency: consistency).view
    }

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try SessionAccess.reading(try context.requireCaller())
        let input = QueryInput(request: request)
        var filter = SessionListFilter(limit: try input.int("limit", in: 1...maximumPageSize) ?? 50)
        let requestedOwner = try input.string("owner", maximumLength: SessionLimits.maximumIdentifierLength)
        filter.owner = access.ownerScope ?? requestedOwner
        filter.tag = try input.string("tag", maximumLength: SessionLimits.maximumTagLength)
        filter.archived = try Self.tristate(input.string("archived", maximumLength: 5), name: "archived")
        filter.deleted = try Self.tristate(input.string("deleted", maximumLength: 5), name: "deleted", allowAny: false) ?? false
        if let after = try input.string("after", maximumLength: 130) {
            guard let cursor = SessionListCursor(after) else { throw APIError.invalid("after", "is not a cursor from next_after") }
            filter.after = cursor
        }
        try await consistency.wait(for: "sessions", askedBy: request)
        let page = try await SessionReads(database: database).list(tenant: access.tenant, filter)
        let lines = page.map(\.view.json)
        let next = page.count == filter.limit ? page.last?.cursor.text : nil
        return JSONPage.response(JSONPage(items: "sessions", lines: lines, next: next).body)
    }

    private func search(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try SessionAccess.reading(try context.requireCaller())
        let input = QueryInput(request: request)
        guard let query = try input.string("q", maximumLength: 200) else { throw APIError.invalid("q", "is required") }
        let limit = try input.int("limit", in: 1...100) ?? 20
        let requestedOwner = try input.string("owner", maximumLength: SessionLimits.maximumIdentifierLength)
        try await consistency.wait(for: "sessions", askedBy: request)
        let hits = try await SessionReads(database: database).search(tenant: access.tenant, owner: access.ownerScope ?? requestedOwner,
                                                                       query: query, limit: limit)
        let lines = hits.map(\.json)
        return JSONPage.response(JSONPage(items: "hits", lines: lines, next: nil).body)
    }

    private func change(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<SessionView> {
        let access = try SessionAccess.writing(try context.requireCaller())
        let id = try PathInput(context: context).string("id")
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ChangeSessionBody.self)
        let commands = body.commands(at: clock.now())
        guard !commands.isEmpty else { throw APIError.invalid("body", "name at least one of title, config, tags, archived, deleted") }
        return try await write(commands, id: id, access: access, request, context)
    }

    private func delete(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<SessionView> {
        let access = try SessionAccess.writing(try context.requireCaller())
        let id = try PathInput(context: context).string("id")
        return try await write([.delete(at: clock.now())], id: id, access: access, request, context)
    }

    private func write(_ commands: [SessionCommand], id: String, access: SessionAccess, _ request: Request,
                       _ context: AppRequestContext) async throws -> EditedResponse<SessionView> {
        let outcome = try await writes.run(commands, sessionID: id, access: access, request: request, context: context)
        guard case .started(let record) = outcome.state else { throw SessionError.notStarted }
        return WriteResponse.make(SessionView(record, version: outcome.version), version: outcome.version,
                                  position: outcome.append?.lastCursor)
    }

    /// `true`, `false`, or (when allowed) `any` → nil.
    static func tristate(_ text: String?, name: String, allowAny: Bool = true) throws -> Bool? {
        switch text {
        case nil: return allowAny ? false : nil
        case "true": return true
        case "false": return false
        case "any" where allowAny: return nil
        default: throw APIError.invalid(name, allowAny ? "must be true, false or any" : "must be true or false")
        }
    }
}
