import EventStoreTesting
import Foundation
import NATSTesting
import Testing

@Suite("Graceful shutdown") struct ShutdownTests {
    /// `eventloom serve` with open live streams, SIGTERM: every stream ends within 2 s
    /// and the process exits 0.
    @Test func sigterm_endsOpenLiveStreamsWithinTwoSeconds() async throws {
        try await TestDatabase.withDatabase { _, databaseURL in
            let port = try FreePort.find()
            let key = "shutdown-test-admin-key-0123456789abcdef"
            let serve = try EventloomProcess(name: "serve", arguments: [
                "serve", "--database-url", databaseURL, "--http-addr", "127.0.0.1:\(port)", "--admin-key", key])
            try await waitUntil(timeout: .seconds(60), "server listening") { (try? RawSocket(port: port)) != nil }
            let streams = try (0..<5).map { _ in try RawSocket(port: port) }
            for stream in streams {
                try stream.send("GET /v1/events/stream HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer \(key)\r\n\r\n")
            }
            // Each stream is open: its response started, nothing ends it.
            for stream in streams { #expect(try await stream.readUntilClosed(timeout: .milliseconds(500)) == false) }
            let start = ContinuousClock.now
            async let exit = serve.terminate()
            for stream in streams { #expect(try await stream.readUntilClosed(timeout: .seconds(5))) }
            let closed = start.duration(to: .now)
            #expect(closed < .seconds(2), "streams ended \(closed) after SIGTERM")
            #expect(await exit == 0, "\(serve.lines.suffix(20))")
        }
    }
}
