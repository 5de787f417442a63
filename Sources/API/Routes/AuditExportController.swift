import EventStore
import Hummingbird
import Projections

/// `GET /v1/audit/export?format=jsonl|csv` (the audit filters, every page, streamed) and
/// `GET /v1/audit/verify` (the tenant's hash chains, or one stream's).
struct AuditExportController {
    let store: EventStore
    let database: TenantDatabase

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/audit/export") { request, context in try await export(request, context) }
        router.get("/v1/audit/verify") { request, context in try await verify(request, context) }
    }

    private func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.auditor, .admin)
        try caller.requireTenantWide()
        let input = QueryInput(request: request)
        let csv: Bool
        switch try input.string("format", maximumLength: 5) ?? "jsonl" {
        case "jsonl": csv = false
        case "csv": csv = true
        default: throw APIError.invalid("format", "must be jsonl or csv")
        }
        let query = try AuditQuery(input)
        let (database, store) = (database, store)
        return Response(
            status: .ok,
            headers: [.contentType: csv ? "text/csv; charset=utf-8" : "application/x-ndjson",
                      .contentDisposition: "attachment; filename=\"audit.\(csv ? "csv" : "jsonl")\""],
            body: ResponseBody { writer in
                if csv { try await writer.write(ByteBuffer(string: AuditCSV.header)) }
                var query = query
                while true {
                    let page = try await query.page(database, store: store, tenant: caller.tenant, limit: 1_000)
                    let lines = page.map { csv ? AuditCSV.line($0) : $0.json + "\n" }
                    if !lines.isEmpty { try await writer.write(ByteBuffer(string: lines.joined())) }
                    guard page.count == 1_000, let last = page.last.flatMap({ Cursor($0.cursor) }) else { break }
                    query.filter.after = last
                }
                try await writer.finish(nil)
            })
    }

    struct Verification: ResponseEncodable {
        let intact: Bool
        let streams: Int
        let events: Int
        let breaks: [Break]
    }

    struct Break: Encodable {
        let stream: String
        let streamVersion: Int64
        let position: String?
        let reason: String
    }

    private func verify(_ request: Request, _ context: AppRequestContext) async throws -> Verification {
        let caller = try context.requireCaller()
        try caller.require(.auditor, .admin)
        try caller.requireTenantWide()
        let stream = try QueryInput(request: request).string("stream")
        if let stream, !Identifiers.isValidStream(stream) { throw APIError.invalid("stream", "is not a stream id") }
        let report = try await store.verify(tenant: caller.tenant, stream: stream)
        return Verification(intact: report.isIntact, streams: report.streams, events: report.events,
                            breaks: report.breaks.map {
                                Break(stream: $0.stream, streamVersion: $0.streamVersion, position: $0.cursor?.description,
                                      reason: $0.reason)
                            })
    }
}
