import EventStoreTesting
import Foundation
import Testing

/// An `eventloom relay` child process, its output collected line by line.
final class RelayProcess: @unchecked Sendable {
    private let process = Process()
    private let output = Locked<[String]>([])
    let name: String

    init(name: String, databaseURL: String, natsURL: String) throws {
        self.name = name
        process.executableURL = try Self.executable()
        process.arguments = ["relay", "--database-url", databaseURL, "--nats-url", natsURL,
                             "--log-level", "info", "--lag-interval", "1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            output.withLock { $0 += text.split(separator: "\n").map(String.init) }
        }
        try process.run()
    }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    var lines: [String] { output.value }

    func hasLogged(_ text: String) -> Bool { lines.contains { $0.contains(text) } }

    func kill() async {
        Foundation.kill(process.processIdentifier, SIGKILL)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
    }

    func terminate() async -> Int32 {
        process.terminate()
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        return process.terminationStatus
    }

    /// The built `eventloom` executable: $EVENTLOOM_BIN, or next to the test bundle.
    static func executable() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["EVENTLOOM_BIN"] { return URL(fileURLWithPath: path) }
        let candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("eventloom")
        try #require(FileManager.default.isExecutableFile(atPath: candidate.path),
                     "no eventloom executable at \(candidate.path): run `swift build` (or set EVENTLOOM_BIN)")
        return candidate
    }
}

/// Runs a program to completion (at most 120 s), returning its exit status and output.
func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let output = Locked(Data())
    pipe.fileHandleForReading.readabilityHandler = { handle in
        let chunk = handle.availableData
        output.withLock { $0.append(chunk) }
    }
    try process.run()
    let deadline = ContinuousClock.now + .seconds(120)
    while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
    if process.isRunning { process.terminate() }
    while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
    pipe.fileHandleForReading.readabilityHandler = nil
    let rest = pipe.fileHandleForReading.readDataToEndOfFile()
    output.withLock { $0.append(rest) }
    return (process.terminationStatus, String(decoding: output.value, as: UTF8.self))
}
