import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// A session's conversation: append (`POST …/messages`), edit into a new branch
/// (`POST …/messages/{message_id}/edits`), switch branch (`PUT …/branch`), summarize
/// (`POST …/summaries`); read the tree (`GET …/messages`), the active branch
/// (`GET …/branch`), what to send a model (`GET …/context`), and follow it live (`GET …/stream`).
struct SessionMessagesController {
    let writes: SessionWrites
    let database: TenantDatabase
    let consistency: Consistency
    let live: LiveController
    let maximumBodySize: Int
    let clock: WallClock

    /// The response to a write that added something to a session.
    struct Written<Item: Encodable & Sendable>: ResponseEncodable, PositionedBody {
        let sessionId: String
        let activeMessageId: String?
        let streamVersion: Int64
        let item: Item
        /// The log position of the write's last event; nil when it wrote nothing (a replay).
        var position: String?

        enum CodingKeys: String, CodingKey { case sessionId, activeMessageId, streamVersion, item, position }

        /// `active_message_id` is required by the spec: `null` before the first message.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sessionId, forKey: .sessionId)
            try container.encode(activeMessageId, forKey: .activeMessageId)
            try container.encode(streamVersion, forKey: .streamVersion)
            try container.encode(item, forKey: .item)
            try container.encodeIfPresent(position, forKey: .position)
        }
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/sessions/:id/messages") { request, context in try await append(request, context) }
        router.post("/v1/sessions/:id/messages/:message/edits") { request, context in try await edit(request, context) }
        router.put("/v1/sessions/:id/branch") { request, context in try await switchBranch(request, context) }
        router.post("/v1/sessions/:id/summaries") { request, context in try await summarize(request, context) }
        router.get("/v1/sessions/:id/messages") { request, context in try await tree(request, context) }
        router.get("/v1/sessions/:id/branch") { request, context in try await branch(request, context) }
        router.get("/v1/sessions/:id/context") { request, context in try await self.context(request, context) }
        router.get("/v1/sessions/:id/stream") { request, context in try await follow(request, context) }
    }

    private func append(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<Written<String>> {
        let access = try SessionAccess.writing(try context.requireCaller())
        let id = try PathInput(context: context).string("id")
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(AppendMessageBody.self)
        let messageID = try body.messageId ?? SessionIDs.new("msg", request: request, scope: "\(access.tenant)\u{0}\(id)")
        let command = SessionCommand.append(body.message(id: messageID), at: clock.now())
        return try await SessionIDs.idempotent(derived: SessionIDs.derived(body.messageId, request)) {
            try await write([command], id: id, item: messageID, access: access, request, context)
        }
    }

    private func edit(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<Written<String>> {
        let access = try SessionAccess.writing(try context.requireCaller())
        let id = try PathInput(context: context).string("id")
        let original = try PathInput(context: context).string("message")
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(EditMessageBody.self)
        let messageID = try body.messageId ?? SessionIDs.new("msg", request: request, scope: "\(access.tenant)\u{0}\(id)")
        let command = SessionCommand.edit(messageID: original, newMessageID: messageID, content: body.content,
                                          at: clock.now())
        do {
            return try await SessionIDs.idempotent(derived: SessionIDs.derived(body.messageId, request)) {
                try await write([command], id: id, item: messageID, access: access, request, context)
            }
        } catch SessionError.unknownMessage(let unknown) where unknown == original {
            // The message is the route's resource here, not a field of the body.
            throw APIError.notFound("session \(id) has no message \(original)")
        }
    }

    private func switchBranch(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<Written<String>> {
        let access = try SessionAccess.writing(try context.requireCaller())
        let id = try PathInput(context: context).string("id")
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(SwitchBranchBody.self)
        let command = SessionCommand.switchBranch(to: body.messageId, at: clock.now())
        return try await write([command], id: id, item: body.messageId, status: .ok, access: access, request, context)
    }

    private func summarize(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<Written<String>> {
        let access = try SessionAccess.writing(try context.requireCaller())
        let id = try PathInput(context: context).string("id")
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(SummarizeBody.self)
        let summaryID = try body.summaryId ?? SessionIDs.new("sum", request: request, scope: "\(access.tenant)\u{0}\(id)")
        let command = SessionCommand.summarize(summaryID: summaryID, throughMessageID: body.throughMessageId, summary: body.summary,
                                               at: clock.now())
        return try await SessionIDs.idempotent(derived: SessionIDs.derived(body.summaryId, request)) {
            try await write([command], id: id, item: summaryID, access: access, request, context)
        }
    }

    /// Runs `commands`; 201 when they wrote something (else the retry of one that did: 200).
    private func write(_ commands: [SessionCommand], id: String, item: String, status: HTTPResponse.Status = .created,
                       access: SessionAccess, _ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<Written<String>> {
        let outcome = try await writes.run(commands, sessionID: id, access: access, request: request, context: context)
        guard case .started(let record) = outcome.state else { throw SessionError.notStarted }
        let body = Written(sessionId: id, activeMessageId: record.activeMessageID, streamVersion: outcome.version, item: item,
                           position: nil)
        return WriteResponse.make(body, status: outcome.append == nil ? .ok : status, version: outcome.version,
                                  position: outcome.append?.lastCursor, replayed: outcome.append == nil)
    }

    private func tree(_ request: Request, _ context: AppRequestContext) async throws -> MessageTreeView {
        let (view, messages) = try await read(request, context)
        var children: [String: [String]] = [:]
        for message in messages { children[message.parentId ?? "", default: []].append(message.id) }
        return MessageTreeView(sessionId: view.id, activeMessageId: view.activeMessageId,
                               messages: messages.map { var m = $0; m.children = children[m.id] ?? []; return m })
    }

    private func branch(_ request: Request, _ context: AppRequestContext) async throws -> BranchView {
        let (view, messages) = try await read(request, context)
        return BranchView(sessionId: view.id, activeMessageId: view.activeMessageId,
                          messages: ActiveBranch.path(to: view.activeMessageId, in: messages))
    }

    private func context(_ request: Request, _ context: AppRequestContext) async throws -> ModelContext {
        guard let maxTokens = try QueryInput(request: request).int("max_tokens", in: 1...10_000_000) else {
            throw APIError.invalid("max_tokens", "is required")
        }
        let (view, messages) = try await read(request, context)
        return ModelContext(view, branch: ActiveBranch.path(to: view.activeMessageId, in: messages), maxTokens: maxTokens)
    }

    private func follow(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try SessionAccess.reading(try context.requireCaller())
        let id = try PathInput(context: context).string("id")
        _ = try await writes.state(sessionID: id, access: access)
        return try await live.stream(request, context, stream: Session.stream(id), authorized: true)
    }

    /// The session (visible to the caller) and its messages, from the read model.
    private func read(_ request: Request, _ context: AppRequestContext) async throws -> (SessionView, [MessageView]) {
        let queries = SessionReads(database: database)
        let (view, access) = try await queries.visibleSession(request, context, consistency: consistency)
        return (view, try await queries.messages(tenant: access.tenant, sessionID: view.id))
    }
}
