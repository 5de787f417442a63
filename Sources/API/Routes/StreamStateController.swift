import EventStore
import Foundation
import Hummingbird

/// `GET /v1/streams/{id}/state?as_of_version=|as_of_time=`: a stream's state replayed by
/// its aggregate's decider, now or as of a version or an instant (for auditors).
struct StreamStateController {
    let store: EventStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/streams/:id/state") { request, context in try await state(request, context) }
    }

    private func state(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.reader, .auditor, .admin)
        try caller.requireTenantWide()
        let id = try PathInput(context: context).string("id")
        guard Identifiers.isValidStream(id) else { throw APIError.notFound("no stream \(id)") }
        let input = QueryInput(request: request)
        let version = try input.int("as_of_version", in: 1...Int(Int64.max))
        let time = try input.time("as_of_time")
        guard version == nil || time == nil else {
            throw APIError.invalid("as_of_version", "give as_of_version or as_of_time, not both")
        }
        let asOf: AsOf = version.map { .version(Int64($0)) } ?? time.map { .time($0) } ?? .latest
        guard try await !store.readStream(tenant: caller.tenant, stream: id, limit: 1).isEmpty else {
            throw APIError.notFound("no stream \(id)")
        }
        let category = String(id.prefix { $0 != "-" })
        guard let rendered = try await StreamStateView.render(category: category, store: store, tenant: caller.tenant,
                                                              stream: id, asOf: asOf) else {
            throw APIError.notFound("streams of category \(category) have no state view")
        }
        var body: [String: Any] = ["stream": id, "category": category, "version": rendered.version,
                                   "state": rendered.state]
        if let version { body["as_of_version"] = version }
        if let time { body["as_of_time"] = StreamStateView.time(time) }
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: .ok, headers: [.contentType: "application/json", .eTag: "\"\(rendered.version)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
