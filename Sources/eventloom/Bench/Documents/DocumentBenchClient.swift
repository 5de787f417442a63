import AsyncHTTPClient
import Foundation
import NIOCore

/// The document routes `bench documents` drives, over its own HTTP client.
struct DocumentBenchClient: Sendable {
    let baseURL: String
    let key: String
    let http: HTTPClient

    enum Attempt: Sendable {
        case committed(String)
        /// The head moved to `current`.
        case moved(String)
    }

    func create(_ id: String) async throws {
        _ = try await post("/v1/documents", #"{"id":"\#(id)","title":"Bench \#(id)"}"#, expecting: [201])
    }

    /// Commits `text` on `head`; the new commit's id.
    func commit(_ id: String, _ text: String, head: String?) async throws -> String {
        guard case .committed(let commit) = try await tryCommit(id, text, head: head) else {
            throw CommandFailure("the head of \(id) moved under a single writer")
        }
        return commit
    }

    func tryCommit(_ id: String, _ text: String, head: String?) async throws -> Attempt {
        let body = #"{"expected_head":\#(head.map { "\"\($0)\"" } ?? "null"),"content":\#(Self.quoted(text)),"mime_type":"text/plain"}"#
        let (status, json) = try await post("/v1/documents/\(id)/commits", body, expecting: [201, 409])
        if status == 409, let current = json["current_head"] as? String { return .moved(current) }
        guard status == 201, let commit = json["id"] as? String else { throw CommandFailure("commit answered \(status) \(json)") }
        return .committed(commit)
    }

    /// How long each checkout of (document, commit) took, in milliseconds.
    func checkoutTimes(_ versions: [(String, String)]) async throws -> [Double] {
        var times: [Double] = []
        for (id, commit) in versions {
            let start = ContinuousClock.now
            var request = HTTPClientRequest(url: baseURL + "/v1/documents/\(id)/content?ref=\(commit)")
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            let response = try await http.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 64 << 20)
            guard response.status == .ok else { throw CommandFailure("checkout answered \(response.status.code) \(String(buffer: body))") }
            times.append((ContinuousClock.now - start).seconds * 1000)
        }
        return times
    }

    private func post(_ path: String, _ body: String, expecting: Set<UInt>) async throws
        -> (status: UInt, json: [String: Any])
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard expecting.contains(response.status.code) else {
            throw CommandFailure("\(path): \(response.status.code) \(String(buffer: bytes))")
        }
        return (response.status.code, (try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any]) ?? [:])
    }

    static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
