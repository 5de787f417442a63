import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The benchmark's HTTP calls to one server, as its admin.
struct RoutingClient: Sendable {
    let baseURL: String
    let key: String
    let http: HTTPClient

    /// `method` `path` with a JSON body; the status and the decoded answer.
    func send(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> (status: Int, json: [String: Any]) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any]) ?? [:]
        return (Int(response.status.code), json)
    }

    /// `send`, which must answer 2xx.
    @discardableResult
    func must(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> [String: Any] {
        let (status, json) = try await send(method, path, body)
        guard (200..<300).contains(status) else { throw CommandFailure("\(method) \(path): \(status) \(json)") }
        return json
    }

    /// The channel `POST /v1/route` picks for `model`; nil when it answers no channel.
    func routedChannel(model: String) async throws -> String? {
        let (status, json) = try await send(.POST, "/v1/route", #"{"model":"\#(model)"}"#)
        guard status == 200 else { return nil }
        return (json["channel"] as? [String: Any])?["channel_id"] as? String
    }

    /// Waits until the server's channels read model has applied `position`.
    func waitForReadModel(_ position: String) async throws {
        try await must(.GET, "/v1/channels?consistent_with=\(position)")
    }
}
