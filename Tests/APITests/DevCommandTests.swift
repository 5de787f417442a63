import AsyncHTTPClient
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
}
