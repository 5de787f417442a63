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

    func measure(_ path: String) async throws -> Rate {
        let output = try await ExternalProcess.run("wrk", [
            "-t", "2", "-c", "\(connections)", "-d", "\(seconds)s", "--latency",
            "-H", "Authorization: Bearer \(secret)", baseURL + path])
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
