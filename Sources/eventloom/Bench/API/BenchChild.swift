import EventStore
import Foundation

/// An `eventloom` subcommand run as a child process of the benchmark (this executable,
/// other arguments), its output in a file, stopped with SIGTERM.
final class BenchChild: @unchecked Sendable {
    let name: String
    let log: URL
    private let process = Process()

    init(name: String, arguments: [String], environment: [String: String]) throws {
        self.name = name
        log = FileManager.default.temporaryDirectory.appendingPathComponent("eventloom-bench-\(name)-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment
            .merging(["EVENTLOOM_MASTER_KEY": BenchMasterKey.text]) { $1 }
            .merging(environment) { $1 }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The child's output so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Resident memory now and at its peak, in MiB (Linux /proc).
    var memory: (current: Double, peak: Double) {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
            return (Double(line.split(separator: " ").dropFirst().first { Double($0) != nil } ?? "0") ?? 0) / 1024
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    /// CPU time the child has used (user and system), in seconds.
    var cpuSeconds: Double { Self.cpuSeconds(ofProcess: "\(process.processIdentifier)") }

    /// CPU time of a process (`self` for this one) from /proc, in seconds.
    static func cpuSeconds(ofProcess pid: String) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based, whole line).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Fails with the child's output if it has exited.
    func checkRunning() throws {
        guard process.isRunning else {
            throw CommandFailure("eventloom \(name) exited with \(process.terminationStatus):\n\(output.suffix(4000))")
        }
    }

    /// SIGTERM, then up to 10 s for a graceful exit, then SIGKILL. Removes the log.
    func stop() async {
        if process.isRunning {
            process.terminate()
            let deadline = ContinuousClock.now + .seconds(10)
            while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: log)
    }
}
