import Foundation

/// An `eventloom` child process, its output collected line by line.
public final class EventloomProcess: @unchecked Sendable {
    private let process = Process()
    private let output = Locked(Output())
    private let drain: OutputDrain

    /// Complete lines, each with the wall-clock time it arrived, and a line in progress.
    struct Output {
        var lines: [(arrived: Date, text: String)] = []
        var partial = ""

        mutating func append(_ text: String, at arrived: Date) {
            partial += text
            while let newline = partial.firstIndex(of: "\n") {
                lines.append((arrived, String(partial[..<newline])))
                partial = String(partial[partial.index(after: newline)...])
            }
        }
    }
    public let name: String

    /// Starts `eventloom <arguments>`, with `environment` added to this process's and the
    /// variables named in `removing` left out.
    public init(name: String, arguments: [String], environment: [String: String] = [:], removing: [String] = []) throws {
        self.name = name
        process.executableURL = try Self.executable()
        process.arguments = arguments
        if !environment.isEmpty || !removing.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
                .filter { !removing.contains($0.key) }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = self.output
        drain = OutputDrain(pipe.fileHandleForReading) { chunk in
            let text = String(decoding: chunk, as: UTF8.self)
            let arrived = Date()
            output.withLock { $0.append(text, at: arrived) }
        }
    }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    public var lines: [String] { output.value.lines.map(\.text) + [output.value.partial].filter { !$0.isEmpty } }

    /// The complete lines written so far, each with the wall-clock time it reached this process.
    public var timedLines: [(arrived: Date, text: String)] { output.value.lines }

    public func hasLogged(_ text: String) -> Bool { lines.contains { $0.contains(text) } }

    /// Waits for the process to end by itself; its exit status.
    public func exitStatus() async -> Int32 {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        return process.terminationStatus
    }

    /// Sends SIGKILL and waits for the process to end.
    public func kill() async {
        Foundation.kill(process.processIdentifier, SIGKILL)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// Sends SIGINT (Ctrl-C) and waits for the exit status.
    public func interrupt() async -> Int32 {
        process.interrupt()
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        return process.terminationStatus
    }

    /// Sends SIGTERM and waits for the exit status.
    public func terminate() async -> Int32 {
        process.terminate()
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        return process.terminationStatus
    }

    /// The built `eventloom` executable: $EVENTLOOM_BIN, or next to the test bundle.
    /// - Throws: ``MissingExecutable`` when there is none.
    public static func executable() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["EVENTLOOM_BIN"] { return URL(fileURLWithPath: path) }
        let candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("eventloom")
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw MissingExecutable(description:
                "no eventloom executable at \(candidate.path): run `swift build` (or set EVENTLOOM_BIN)")
        }
        return candidate
    }

    public struct MissingExecutable: Error, CustomStringConvertible {
        public let description: String
    }
}
