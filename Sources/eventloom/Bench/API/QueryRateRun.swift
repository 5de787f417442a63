import Foundation

/// Requests per second of one route under wrk (keep-alive, fixed connections), against
/// another route of the same server measured the same way.
struct QueryRateRun: Sendable {
    let baseURL: String
    let secret: String
    let connections: Int
    let seconds: Int

    struct Rate: Sendable {
        let path: String
        let requestsPerSecond: Double
        let p99: String
    }

    /// `path` again and again; with `varyingAfter`, each request asks for another `after`
    /// (a page no cache holds).
    func measure(_ path: String, varyingAfter: Bool = false) async throws -> Rate {
        var arguments = ["-t", "2", "-c", "\(connections)", "-d", "\(seconds)s", "--latency",
                         "-H", "Authorization: Bearer \(secret)"]
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("eventloom-wrk-\(UUID().uuidString).lua")
        defer { try? FileManager.default.removeItem(at: script) }
        if varyingAfter {
            try """
                request = function()
                  return wrk.format(nil, "\(path)&after=0-" .. math.random(1, 1000000000))
                end
                """.write(to: script, atomically: true, encoding: .utf8)
            arguments += ["-s", script.path]
        }
        let output = try await ExternalProcess.run("wrk", arguments + [baseURL + path])
        guard !output.contains("Non-2xx") else {
            throw CommandFailure("GET \(path) answered errors under load:\n\(output)")
        }
        guard let rate = PhysicalLimit.number(after: "Requests/sec:", in: output) else {
            throw CommandFailure("could not read wrk's Requests/sec from:\n\(output)")
        }
        let p99 = output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("99%") }
            .map { $0.split(separator: " ").last.map(String.init) ?? "?" } ?? "?"
        return Rate(path: path, requestsPerSecond: rate, p99: p99)
    }
}
