import AsyncHTTPClient
import EventStore
import EventStoreTesting
import Foundation
import NATSTesting
import NIOCore
import Testing

@Suite("eventloom dev") struct DevCommandTests {
    /// With the database and NATS given, dev runs the API, relay and projections, prints
    /// the URL and admin key, answers, and stops cleanly on Ctrl-C.
    @Test func dev_printsURLAndKey_serves_andStopsOnSIGINT() async throws {
        try await TestDatabase.withDatabase { _, databaseURL in
            try await TestNATSServer.withServer { nats in
                let port = Int.random(in: 20_000...29_999)
                let key = "dev-test-admin-key-0123456789abcdefghij"
                let dev = try EventloomProcess(name: "dev", arguments: [
                    "dev", "--database-url", databaseURL, "--nats-url", nats.url,
                    "--http-addr", "127.0.0.1:\(port)", "--admin-key", key])
                try await waitUntil(timeout: .seconds(60), "banner") { dev.hasLogged("Eventloom is running.") }
                #expect(dev.hasLogged("http://127.0.0.1:\(port)") && dev.hasLogged(key))
                let health = try await HTTPClient.shared.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(10))
                #expect(health.status == .ok)
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/projections")
                request.headers.add(name: "Authorization", value: "Bearer \(key)")
                try await waitUntil(timeout: .seconds(60), "projections registered") {
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                    let body = try await response.body.collect(upTo: 1 << 20)
                    return String(buffer: body).contains("\"keys\"") && String(buffer: body).contains("\"audit\"")
                }
                #expect(await dev.interrupt() == 0)
            }
        }
    }

    /// With nothing configured, dev starts its own PostgreSQL and NATS on the ports it is
    /// given, and other commands run against the same dev folder find them without URLs;
    /// a port taken by another program is named.
    @Test func dev_ownCluster_isFoundByOtherCommands_andATakenPortIsNamed() async throws {
        let folder = "/tmp/eventloom-devtest-\(UUID().uuidString.lowercased())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (postgres, natsPort, http) = (try FreePort.find(), try FreePort.find(), try FreePort.find())
        let key = "dev-test-admin-key-0123456789abcdefghij"
        let unset = ["EVENTLOOM_DATABASE_URL", "EVENTLOOM_NATS_URL", "EVENTLOOM_MASTER_KEY", "EVENTLOOM_SEAL_KEY"]
        let dev = try EventloomProcess(name: "dev", arguments: [
            "dev", "--postgres-port", "\(postgres)", "--nats-port", "\(natsPort)",
            "--http-addr", "127.0.0.1:\(http)", "--admin-key", key], environment: ["EVENTLOOM_DEV_DIR": folder], removing: unset)
        do {
            try await waitUntil(timeout: .seconds(120), "banner") { dev.hasLogged("Eventloom is running.") }
        } catch {
            Issue.record("dev did not start: \(dev.lines.suffix(20))")
            _ = await dev.interrupt()
            throw error
        }
        #expect(dev.hasLogged("127.0.0.1:\(postgres)") && dev.hasLogged("127.0.0.1:\(natsPort)"))
        let masterKey = try String(contentsOfFile: folder + "/master-key", encoding: .utf8)
        #expect((try? MasterKey(base64: masterKey)) != nil, "dev keeps the master key it made in its folder")
        let sealKey = try String(contentsOfFile: folder + "/seal-key", encoding: .utf8)
        #expect((try? SealSigningKey(base64: sealKey)) != nil, "dev keeps the seal key it made in its folder")
        let sealPublicKey = try SealSigningKey(base64: sealKey).verifyingKey.hex
        #expect(dev.hasLogged("seals      public key \(sealPublicKey)"), "the banner shows the seals' public key")
        // Beside a running dev, verify --seals finds its database and seal key by itself.
        let verify = try EventloomProcess(name: "verify", arguments: ["verify", "--seals"],
                                          environment: ["EVENTLOOM_DEV_DIR": folder], removing: unset)
        #expect(await verify.exitStatus() == 0, "\(verify.lines.suffix(10))")
        let clash = try EventloomProcess(name: "dev-clash", arguments: [
            "dev", "--postgres-port", "\(http)", "--nats-port", "\(try FreePort.find())", "--http-addr", "127.0.0.1:\(try FreePort.find())",
            "--admin-key", key], environment: ["EVENTLOOM_DEV_DIR": folder + "-clash"], removing: unset)
        #expect(await clash.exitStatus() != 0)
        // Its output arrives through a pipe, possibly after the exit.
        try await waitUntil(timeout: .seconds(5), "the taken port named: \(clash.lines.suffix(5))") {
            clash.hasLogged("port \(http) (PostgreSQL) is taken")
        }
        try? FileManager.default.removeItem(atPath: folder + "-clash")
        #expect(await dev.interrupt() == 0)
    }
}

