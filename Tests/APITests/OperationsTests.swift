import API
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Metrics and timeouts") struct OperationsTests {
    @Test func metrics_arePrometheusText_withRequestCountsAndProjectionGauges() async throws {
        try await APITest.run { api in
            for _ in 0..<3 { #expect(try await api.get("/healthz").status == .ok) }
            try await api.append(tenant: "acme", stream: "lock-1")
            let response = try await api.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: response.body)
            let samples = try PrometheusSamples(text)
            #expect(samples.value(of: "eventloom_projection_failed", ["projection": "audit"]) == 0)
            #expect(samples.value(of: "eventloom_projection_lag_events", ["projection": "keys"]) != nil)
            #expect(samples.value(of: "eventloom_live_clients", [:]) != nil)
            // The HTTP server's own counter, by route (other tests of this process count too).
            let healthz = samples.lines.filter { $0.name == "hb_requests" && $0.labels["http_route"] == "/healthz" }
            #expect(healthz.reduce(0) { $0 + $1.value } >= 3, "\(text.prefix(3000))")
            #expect(!text.contains("acme"), "no tenant in metrics")
        }
    }

    @Test func aConnectionStalledMidRequest_isClosed_butALiveStreamIsNot() async throws {
        try await APITest.run(configure: { $0.idleTimeout = .seconds(1) }) { api in
            let port = try #require(api.client.port)
            // The bootstrap key: no request of the test client beforehand, whose kept-alive
            // connection the 1 s idle timeout could close just as it sends the next request.
            let key = adminKey
            let stalled = try RawSocket(port: port)
            try stalled.send("GET /healthz HTTP/1.1\r\nHost: test\r\n")
            let stream = try RawSocket(port: port)
            try stream.send("GET /v1/events/stream HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer \(key)\r\n\r\n")
            #expect(try await stalled.readUntilClosed(timeout: .seconds(10)))
            // Silent for three idle timeouts (heartbeats come every 15 s), and still open.
            #expect(try await stream.readUntilClosed(timeout: .seconds(3)) == false)
        }
    }
}

/// The samples of a Prometheus text exposition; throws on a line that is not one.
struct PrometheusSamples {
    struct Sample {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let lines: [Sample]

    init(_ text: String) throws {
        let pattern = try Regex(#"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$"#)
        let label = try Regex(#"([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)""#)
        lines = try text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            guard let match = try pattern.wholeMatch(in: String(line)), let value = Double(String(match.output[4].substring!))
                    ?? (match.output[4].substring == "+Inf" ? .infinity : nil) else {
                throw PrometheusFormatError(line: String(line))
            }
            var labels: [String: String] = [:]
            if let inner = match.output[3].substring {
                for pair in String(inner).matches(of: label) {
                    labels[String(pair.output[1].substring!)] = String(pair.output[2].substring!)
                }
            }
            return Sample(name: String(match.output[1].substring!), labels: labels, value: value)
        }
    }

    func value(of name: String, _ labels: [String: String]) -> Double? {
        lines.first { $0.name == name && $0.labels == labels }?.value
    }
}

struct PrometheusFormatError: Error {
    let line: String
}
