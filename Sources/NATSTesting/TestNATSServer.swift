import Foundation
import Logging
import NATS

/// A private nats-server with JetStream (the binary scripts/setup installs), on a free
/// loopback port with its own store folder, for tests that stop and restart it.
public final class TestNATSServer: @unchecked Sendable {
    public let port: Int
    public let storeDirectory: URL
    public var url: String { "nats://127.0.0.1:\(port)" }
    private let lock = NSLock()
    private var process: Process?

    private init(port: Int, storeDirectory: URL) {
        self.port = port
        self.storeDirectory = storeDirectory
    }

    /// Runs `body` with a started server, then stops it and deletes its store.
    public static func withServer<T: Sendable>(_ body: (TestNATSServer) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("eventloom-nats-\(UUID().uuidString)")
        let server = TestNATSServer(port: try FreePort.find(), storeDirectory: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await server.start()
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Starts the server (again), on the same port and store; returns once it accepts clients.
    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["nats-server", "-a", "127.0.0.1", "-p", "\(port)", "-js",
                             "-sd", storeDirectory.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        lock.withLock { self.process = process }
        try await waitUntilAccepting()
    }

    /// Stops the server gracefully (SIGTERM) and waits for it to exit.
    public func stop() async {
        await signal(SIGTERM)
    }

    /// Kills the server (SIGKILL) and waits for it to exit.
    public func kill() async {
        await signal(SIGKILL)
    }

    private func signal(_ signal: Int32) async {
        guard let process = lock.withLock({ () -> Process? in defer { self.process = nil }; return self.process })
        else { return }
        Foundation.kill(process.processIdentifier, signal)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    private func waitUntilAccepting() async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        var logger = Logger(label: "test.nats-server")
        logger.logLevel = .critical
        while ContinuousClock.now < deadline {
            if let connection = try? await NATSConnection.connect(NATSConnectionOptions(url: url), logger: logger) {
                connection.close()
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestNATSServerError(message: "nats-server did not accept connections on \(url) within 10 s")
    }
}

struct TestNATSServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
