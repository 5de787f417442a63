import EventStore
import Foundation
import NIOCore
import NIOPosix

/// The few plain HTTP calls the API benchmark makes, through curl.
struct BenchHTTP: Sendable {
    let baseURL: String

    /// A loopback port nothing listens on now.
    static func freePort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).wait()
        defer { try? channel.close().wait() }
        guard let port = channel.localAddress?.port else { throw CommandFailure("no free loopback port") }
        return port
    }

    /// An admin key for the benchmark's server: 48 random hex digits.
    /// `eventloom serve` as a child process on a free loopback port, with a new admin key.
    static func startServer(environment: [String: String]) throws -> (server: BenchChild, http: BenchHTTP, port: Int, adminKey: String) {
        let port = try freePort()
        let adminKey = randomKey()
        let server = try BenchChild(name: "serve", arguments: ["serve"], environment: environment.merging([
            "EVENTLOOM_HTTP_ADDR": "127.0.0.1:\(port)", "EVENTLOOM_ADMIN_KEY": adminKey]) { $1 })
        return (server, BenchHTTP(baseURL: "http://127.0.0.1:\(port)"), port, adminKey)
    }

    static func randomKey() -> String {
        Hex.random(bytes: 24)
    }

    func waitUntilUp(_ server: BenchChild) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            try server.checkRunning()
            if (try? await ExternalProcess.run("curl", ["-fsS", "--max-time", "1", baseURL + "/healthz"])) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CommandFailure("eventloom serve did not answer /healthz within 60 s:\n\(server.output.suffix(4000))")
    }

    /// Issues a reader and auditor key for `tenant`; its secret.
    func issueKey(adminKey: String, tenant: String) async throws -> String {
        let body = #"{"tenant":"\#(tenant)","name":"bench","roles":["reader","auditor"]}"#
        let output = try await ExternalProcess.run("curl", [
            "-fsS", "--max-time", "30", "-X", "POST", "-H", "Authorization: Bearer \(adminKey)",
            "-H", "Content-Type: application/json", "-d", body, baseURL + "/v1/keys"])
        guard let json = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
              let secret = json["secret"] as? String else {
            throw CommandFailure("POST /v1/keys answered without a secret: \(output)")
        }
        return secret
    }
}

extension BenchHTTP {
    /// `method` `path` with a JSON body as `key`, through curl; its answer.
    /// - Throws: ``CommandFailure`` for a status of 400 or more.
    @discardableResult
    func send(_ method: String, _ path: String, key: String, body: String) async throws -> String {
        try await ExternalProcess.run("curl", [
            "-fsS", "--max-time", "30", "-X", method, "-H", "Authorization: Bearer \(key)",
            "-H", "Content-Type: application/json", "-d", body, baseURL + path])
    }
}
