import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The index, ingestion and search routes `bench search` drives, over its own HTTP client.
struct SearchBenchClient: Sendable {
    let baseURL: String
    let key: String
    let http: HTTPClient

    /// Sends `body` to `path`; the status and the JSON object answered (empty when none).
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, _ body: String? = nil, expecting: Set<UInt> = [200, 201])
        async throws -> (status: UInt, json: [String: Any])
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(120))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let status = response.status.code
        guard expecting.contains(status) else {
            throw CommandFailure("\(method.rawValue) \(path) answered \(status): \(String(buffer: bytes).prefix(500))")
        }
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
        return (status, json)
    }

    /// One search of version 1; the hits' ordinals (within their task) and task ids.
    func search(_ body: String) async throws -> [[String: Any]] {
        try await send(.POST, "/v1/indexes/bench/search", body, expecting: [200]).json["hits"] as? [[String: Any]] ?? []
    }

    static func vectorJSON(_ vector: [Float]) -> String {
        "[" + vector.map { "\($0)" }.joined(separator: ",") + "]"
    }
}
