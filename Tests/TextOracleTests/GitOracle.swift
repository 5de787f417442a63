import Foundation

/// `git merge-file` and `git diff` on files in a scratch folder, with no user or system
/// configuration (a `merge.conflictStyle` there would change the output).
struct GitOracle {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("text-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// `git merge-file -p ours base theirs`: the merged bytes and the exit status.
    func mergeFile(base: [UInt8], ours: [UInt8], theirs: [UInt8]) throws -> (output: [UInt8], status: Int32) {
        try write(base, "base")
        try write(ours, "ours")
        try write(theirs, "theirs")
        return try run(["merge-file", "-p", "ours", "base", "theirs"])
    }

    /// The hunks of `git diff --no-index --no-indent-heuristic -U0 old new`, as
    /// (old start, old count, new start, new count) with 0-based starts.
    func diffHunks(old: [UInt8], new: [UInt8]) throws -> [[Int]] {
        try write(old, "old")
        try write(new, "new")
        let (output, _) = try run(["-c", "diff.algorithm=myers", "diff", "--no-index", "--no-indent-heuristic", "-U0",
                                   "--no-color", "old", "new"])
        return String(decoding: output, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("@@ ") }.map(Self.hunk)
    }

    /// `@@ -a,b +c,d @@` → [a, b, c, d] with 0-based starts (git numbers an empty side's
    /// start as the line before it).
    private static func hunk(_ header: Substring) -> [Int] {
        let parts = header.split(separator: " ")
        func range(_ text: Substring) -> (Int, Int) {
            let numbers = text.dropFirst().split(separator: ",").map { Int($0)! }
            let count = numbers.count > 1 ? numbers[1] : 1
            return (count == 0 ? numbers[0] : numbers[0] - 1, count)
        }
        let (oldStart, oldCount) = range(parts[1])
        let (newStart, newCount) = range(parts[2])
        return [oldStart, oldCount, newStart, newCount]
    }

    /// The file `doc` holding `old`, after `git apply` of `patch`; nil when git refuses it.
    func apply(_ patch: [UInt8], to old: [UInt8]) throws -> [UInt8]? {
        try write(old, "doc")
        try write(patch, "change.diff")
        let (_, status) = try run(["apply", "--whitespace=nowarn", "change.diff"])
        guard status == 0 else { return nil }
        return Array(try Data(contentsOf: folder.appendingPathComponent("doc")))
    }

    private func write(_ bytes: [UInt8], _ name: String) throws {
        try Data(bytes).write(to: folder.appendingPathComponent(name))
    }

    private func run(_ arguments: [String]) throws -> ([UInt8], Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ["HOME": folder.path, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
                               "PATH": "/usr/bin:/bin", "LC_ALL": "C"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (Array(data), process.terminationStatus)
    }
}
