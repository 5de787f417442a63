import AsyncHTTPClient
import Foundation
import NIOCore

/// A Server-Sent Events client for tests: reads frames off a live response body.
struct SSEClient {
    enum Item: Equatable {
        case event(id: String, type: String, data: String)
        case comment(String)
        case retry(String)
    }

    /// Opens `GET path` on the test server and hands each item to `body` until it returns false.
    static func read(port: Int, path: String, key: String, lastEventID: String? = nil,
                     _ body: (Item) async throws -> Bool) async throws
    {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        guard response.status == .ok else { throw Failure(status: Int(response.status.code)) }
        var parser = Parser()
        for try await chunk in response.body {
            for item in parser.feed(String(buffer: chunk)) {
                guard try await body(item) else { return }
            }
        }
    }

    struct Failure: Error { let status: Int }

    /// Splits the stream into frames at blank lines.
    struct Parser {
        private var pending = ""

        mutating func feed(_ text: String) -> [Item] {
            pending += text
            var items: [Item] = []
            while let range = pending.range(of: "\n\n") {
                let frame = String(pending[..<range.lowerBound])
                pending.removeSubrange(..<range.upperBound)
                items += Self.parse(frame)
            }
            return items
        }

        private static func parse(_ frame: String) -> [Item] {
            var id = "", type = "message", data = ""
            var items: [Item] = []
            for line in frame.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") { items.append(.comment(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))) }
                else if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
                else if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
                else if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
                else if line.hasPrefix("retry: ") { items.append(.retry(String(line.dropFirst(7)))) }
            }
            if !id.isEmpty { items.append(.event(id: id, type: type, data: data)) }
            return items
        }
    }
}
