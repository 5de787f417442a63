import Domain
import Foundation

/// Which commit last changed each line of a version: lines are handed from each commit to
/// the first parent that has them unchanged, newest commits first, until a commit that
/// wrote them (or a root) keeps them.
///
/// Bounded: past ``maximumCommits`` commits visited or ``maximumBytes`` of content read,
/// the lines still being handed down stay with the commit they reached (a boundary, as
/// `git blame --since` marks one) and the result says it is not complete.
struct DocumentBlame {
    let reads: DocumentReads
    let state: DocumentState
    let tenant: String

    static let maximumCommits = 5_000
    static let maximumBytes = 512 << 20

    /// The commit of each line of `head`'s content, in line order, and whether every line
    /// reached the commit that wrote it.
    func lines(of head: DocumentCommit) async throws -> (text: TextLines, commits: [String], complete: Bool) {
        let text = TextLines(try await reads.content(of: head, in: state, tenant: tenant))
        var owners = [String?](repeating: nil, count: text.count)
        // Per commit still to visit: (line of the result, line of that commit's text).
        var pending: [String: [(result: Int, line: Int)]] = [head.id: (0..<text.count).map { ($0, $0) }]
        var texts: [String: TextLines] = [head.id: text]
        var (visited, bytes) = (0, text.bytes.count)
        while let id = pending.keys.max(by: { (state.sequence[$0] ?? 0) < (state.sequence[$1] ?? 0) }) {
            guard visited < Self.maximumCommits, bytes < Self.maximumBytes else {
                for (boundary, lines) in pending { for entry in lines { owners[entry.result] = boundary } }
                return (text, owners.map { $0 ?? head.id }, false)
            }
            visited += 1
            var lines = pending.removeValue(forKey: id) ?? []
            guard let commit = state.commits[id] else { continue }
            let own = try await load(commit, &texts, bytes: &bytes)
            for parentID in commit.parents where !lines.isEmpty {
                guard let parent = state.commits[parentID] else { continue }
                let kept = parent.content.sha256 == commit.content.sha256
                    ? (0..<own.count).map { Optional($0) }
                    : Blame.keptLines(child: own, parent: try await load(parent, &texts, bytes: &bytes))
                var passed: [(result: Int, line: Int)] = []
                lines.removeAll { entry in
                    guard let line = kept[entry.line] else { return false }
                    passed.append((entry.result, line))
                    return true
                }
                if !passed.isEmpty { pending[parentID, default: []] += passed }
            }
            for entry in lines { owners[entry.result] = id }
            texts[id] = nil
        }
        return (text, owners.map { $0 ?? head.id }, true)
    }

    /// `commit`'s text, read once; `bytes` counts what was read.
    private func load(_ commit: DocumentCommit, _ texts: inout [String: TextLines], bytes: inout Int) async throws -> TextLines {
        if let text = texts[commit.id] { return text }
        let text = TextLines(try await reads.content(of: commit, in: state, tenant: tenant))
        bytes += text.bytes.count
        texts[commit.id] = text
        return text
    }
}
