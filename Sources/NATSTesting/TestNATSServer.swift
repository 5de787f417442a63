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
        defer {
            try? FileManager.default.removeItem(at: directory)
            try? FileManager.default.removeItem(at: directory.appendingPathExtension("log"))
        }
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
    ///
    /// A server that exits before it accepts (its port not yet free after a restart, on a
    /// busy machine) is started again until the deadline; the error then carries its last words.
    public func start() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let process = try launch()
            if try await waitUntilAccepting(process, until: deadline) { return }
            guard ContinuousClock.now < deadline else {
                await stop()
                let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
                throw TestNATSServerError(message: "nats-server did not accept connections on \(url) within 30 s: \(log.suffix(600))")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private var logFile: URL { storeDirectory.appendingPathExtension("log") }

    private func launch() throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["nats-server", "-a", "127.0.0.1", "-p", "\(port)", "-js",
                             "-sd", storeDirectory.path]
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = log
        try process.run()
        try log.close()
        lock.withLock { self.process = process }
        return process
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

    /// Whether `process` accepts a client before `deadline`; false as soon as it exits.
    private func waitUntilAccepting(_ process: Process, until deadline: ContinuousClock.Instant) async throws -> Bool {
        var logger = Logger(label: "test.nats-server")
        logger.logLevel = .critical
        while ContinuousClock.now < deadline {
            if let connection = try? await NATSConnection.connect(NATSConnectionOptions(url: url), logger: logger) {
                connection.close()
                return true
            }
            guard process.isRunning else {
                lock.withLock { if self.process === process { self.process = nil } }
                return false
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

struct TestNATSServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
