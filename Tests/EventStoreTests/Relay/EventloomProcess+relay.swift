import EventStoreTesting
import Foundation

extension EventloomProcess {
    /// An `eventloom relay` child process.
    static func relay(name: String, databaseURL: String, natsURL: String) throws -> EventloomProcess {
        try EventloomProcess(name: name, arguments: [
            "relay", "--database-url", databaseURL, "--nats-url", natsURL, "--log-level", "info", "--lag-interval", "1"])
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
    try process.run()
    let output = Locked(Data())
    let drain = OutputDrain(pipe.fileHandleForReading) { chunk in output.withLock { $0.append(chunk) } }
    let deadline = ContinuousClock.now + .seconds(120)
    while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
    if process.isRunning { process.terminate() }
    while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
    await drain.waitForEnd()
    return (process.terminationStatus, String(decoding: output.value, as: UTF8.self))
}
