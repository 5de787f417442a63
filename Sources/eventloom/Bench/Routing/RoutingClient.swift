import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// The benchmark's calls to one server, as its admin, through the bench's HTTP client.
struct RoutingClient: Sendable {
    let client: SearchBenchClient

    init(baseURL: String, key: String, http: HTTPClient) {
        client = SearchBenchClient(baseURL: baseURL, key: key, http: http)
    }

    var baseURL: String { client.baseURL }
    var key: String { client.key }

    /// `method` `path` with a JSON body, which must answer 200 or 201; the decoded answer.
    @discardableResult
    func must(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> [String: Any] {
        try await client.send(method, path, body).json
    }

    /// The channel `POST /v1/route` picks for `model`; nil when it answers no channel.
    func routedChannel(model: String) async throws -> String? {
        let (status, json) = try await client.send(.POST, "/v1/route", #"{"model":"\#(model)"}"#, expecting: [200, 422, 503])
        guard status == 200 else { return nil }
        return (json["channel"] as? [String: Any])?["channel_id"] as? String
    }

    /// Waits until the server's channels read model has applied `position`.
    func waitForReadModel(_ position: String) async throws {
        try await must(.GET, "/v1/channels?consistent_with=\(position)")
    }
}
