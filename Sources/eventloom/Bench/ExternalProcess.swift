import Foundation

/// Runs PostgreSQL's client programs (pgbench, psql) for the benchmark.
enum ExternalProcess {
    /// The program's output (stdout and stderr); throws if it exits non-zero.
    static func run(_ program: String, _ arguments: [String]) async throws -> String {
        let path = try locate(program)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("eventloom-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw CommandFailure("\(program) exited with \(status):\n\(text)") }
        return text
    }

    /// PostgreSQL's newest bin folder first, then PATH.
    static func locate(_ program: String) throws -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let pgBins = versions.compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for folder in pgBins + path {
            let candidate = folder + "/" + program
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CommandFailure("\(program) not found: install PostgreSQL's client programs (scripts/setup)")
    }
}
