import EventStore
import Hummingbird

/// The caller's tenant log: `GET /v1/events` (by cursor, filters) and
/// `GET /v1/streams/{id}/events` (one stream by version).
struct EventsController {
    let store: EventStore
    let consistency: Consistency
    let maximumPageSize: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/events") { request, context in try await log(request, context) }
        router.get("/v1/streams/:id/events") { request, context in try await stream(request, context) }
    }

    private func log(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.reader, .auditor, .admin)
        try caller.requireTenantWide()
        let input = QueryInput(request: request)
        let category = try input.string("category", maximumLength: 128)
        let type = try input.string("type", maximumLength: 128)
        if let category, !Identifiers.isValidCategory(category) { throw APIError.invalid("category", "is not a category") }
        if let type, !Identifiers.isValidType(type) { throw APIError.invalid("type", "is not an event type") }
        let after = try input.cursor("after") ?? .start
        let limit = try input.int("limit", in: 1...maximumPageSize) ?? 100
        if let cursor = try input.consistentWith() { try await consistency.waitForLog(toReach: cursor) }
        let events = try await store.revealPersonalData(try await store.readLog(
            after: after, filter: LogFilter(tenant: caller.tenant, category: category, types: type.map { [$0] }),
            limit: limit))
        return JSONPage(items: "events", lines: events.map(\.jsonLine),
                        next: events.count == limit ? events.last?.cursor.description : nil).response
    }

    private func stream(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.reader, .auditor, .admin)
        try caller.requireTenantWide()
        let id = try PathInput(context: context).string("id")
        guard Identifiers.isValidStream(id) else { throw APIError.notFound("no stream \(id)") }
        let input = QueryInput(request: request)
        let direction: ReadDirection = switch try input.string("direction", maximumLength: 9) {
        case nil, "forwards": .forwards
        case "backwards": .backwards
        default: throw APIError.invalid("direction", "must be forwards or backwards")
        }
        let from = try input.int("from", in: 1...Int(Int64.max)).map(Int64.init)
        let limit = try input.int("limit", in: 1...maximumPageSize) ?? 100
        let events = try await store.revealPersonalData(try await store.readStream(
            tenant: caller.tenant, stream: id, direction: direction, from: from, limit: limit))
        if events.isEmpty, try await store.readStream(tenant: caller.tenant, stream: id, direction: .backwards, limit: 1)
            .isEmpty {
            throw APIError.notFound("no stream \(id)")
        }
        return JSONPage(items: "events", lines: events.map(\.jsonLine), next: nil).response
    }
}
