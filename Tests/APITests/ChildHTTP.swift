import AsyncHTTPClient
import Foundation
import NIOCore

/// Requests to an `eventloom serve` (or `dev`) child process of a test, over real HTTP.
enum ChildHTTP {
    struct Reply: Sendable {
        let status: UInt
        let body: String
    }

    /// `method path` with a JSON `body`, as the holder of `key`.
    static func send(_ port: Int, key: String, _ method: String, _ path: String, _ body: String,
                     timeout: TimeAmount = .seconds(10)) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .init(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: response.status.code, body: String(buffer: bytes))
    }
}
