import Domain
import Foundation

/// The diff and merge half of `bench documents`: the same three 10,000-line files through
/// this process's diff and merge and through git's, in the same run.
struct DocumentTextBench {
    static let lines = 10_000
    static let rounds = 20

    func run() async throws {
        let base = Self.text(seed: 1, edits: 0)
        let ours = Self.text(seed: 2, edits: 200)
        let theirs = Self.text(seed: 3, edits: 200)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eventloom-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = ["base", "ours", "theirs", "empty1", "empty2"].map { folder.appendingPathComponent($0).path }
        for (path, text) in zip(files, [base, ours, theirs, [], []]) { FileManager.default.createFile(atPath: path, contents: Data(text)) }

        let (b, o, t) = (TextLines(base), TextLines(ours), TextLines(theirs))
        let hunks = LineDiff.hunks(from: b, to: o)
        let oursDiff = Self.median { _ = UnifiedDiff.render(from: b, to: o, hunks: LineDiff.hunks(from: b, to: o)) }
        let merged = ThreeWayMerge.merge(base: b, ours: o, theirs: t)
        let oursMerge = Self.median { _ = ThreeWayMerge.merge(base: b, ours: o, theirs: t) }
        let startup = try await Self.median { try await Self.git(["diff", "--no-index", "--no-indent-heuristic", files[3], files[4]]) }
        let gitDiff = try await Self.median { try await Self.git(["diff", "--no-index", "--no-indent-heuristic", "-U3", files[0], files[1]]) }
        let gitMerge = try await Self.median { try await Self.git(["merge-file", "-p", files[1], files[0], files[2]]) }
        let gitMerged = try await Self.output(["merge-file", "-p", "-L", "ours", "-L", "base", "-L", "theirs", files[1], files[0], files[2]])
        let same = gitMerged == merged.text
        print(String(format: "diff:      %d lines, %d hunks: %.2f ms here, git diff %.2f ms (%.2f ms less start-up %.2f ms): %.1f× git's speed (goal ≥ 0.5×)",
                     Self.lines, hunks.count, oursDiff, gitDiff, gitDiff - startup, startup,
                     (gitDiff - startup) / oursDiff))
        print(String(format: "merge:     %d conflicts: %.2f ms here, git merge-file %.2f ms (%.2f ms less start-up): %.1f× git's speed; the same bytes as git: %@",
                     merged.conflicts.count, oursMerge, gitMerge, gitMerge - startup, (gitMerge - startup) / oursMerge,
                     same ? "yes" : "NO"))
        guard same else { throw CommandFailure("the merge differs from git merge-file's") }
    }

    /// A 10,000-line text of prose-like lines; `edits` lines changed, inserted or deleted.
    static func text(seed: UInt64, edits: Int) -> [UInt8] {
        var lines = (0..<Self.lines).map { "Line \($0): the knowledge base keeps each document's history, branch and tag.\n" }
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for edit in 0..<edits {
            let index = next(lines.count)
            switch edit % 3 {
            case 0: lines[index] = "Edited by \(seed) at \(edit).\n"
            case 1: lines.insert("Inserted by \(seed) at \(edit).\n", at: index)
            default: lines.remove(at: index)
            }
        }
        return Array(lines.joined().utf8)
    }

    /// The median of `rounds` timings of `body`, in milliseconds.
    static func median(_ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            try body()
            times.append((ContinuousClock.now - start).seconds * 1000)
        }
        return times.sorted()[rounds / 2]
    }

    static func median(_ body: () async throws -> Void) async rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            try await body()
            times.append((ContinuousClock.now - start).seconds * 1000)
        }
        return times.sorted()[rounds / 2]
    }

    /// Runs git (exit 0 or 1: a diff or conflicts found).
    static func git(_ arguments: [String]) async throws {
        _ = try await output(arguments)
    }

    static func output(_ arguments: [String]) async throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ExternalProcess.locate("git"))
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus >= 0, process.terminationStatus < 128 else {
            throw CommandFailure("git \(arguments.first ?? "") failed with \(process.terminationStatus)")
        }
        return Array(data)
    }
}
