import Domain
import Foundation

/// Which commit last changed each line of a version: lines are handed from each commit to
/// the first parent that has them unchanged, newest commits first, until a commit that
/// wrote them (or a root) keeps them.
struct DocumentBlame {
    let reads: DocumentReads
    let state: DocumentState
    let tenant: String

    /// The commit of each line of `head`'s content, in line order.
    func lines(of head: DocumentCommit) async throws -> (text: TextLines, commits: [String]) {
        let text = TextLines(try await reads.content(of: head, in: state, tenant: tenant))
        var owners = [String?](repeating: nil, count: text.count)
        // Per commit still to visit: (line of the result, line of that commit's text).
        var pending: [String: [(result: Int, line: Int)]] = [head.id: (0..<text.count).map { ($0, $0) }]
        var texts: [String: TextLines] = [head.id: text]
        while let id = pending.keys.max(by: { (state.sequence[$0] ?? 0) < (state.sequence[$1] ?? 0) }) {
            var lines = pending.removeValue(forKey: id) ?? []
            guard let commit = state.commits[id] else { continue }
            let own = try await load(commit, &texts)
            for parentID in commit.parents where !lines.isEmpty {
                guard let parent = state.commits[parentID] else { continue }
                let kept = parent.content.sha256 == commit.content.sha256
                    ? (0..<own.count).map { Optional($0) }
                    : Blame.keptLines(child: own, parent: try await load(parent, &texts))
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
        return (text, owners.map { $0 ?? head.id })
    }

    private func load(_ commit: DocumentCommit, _ texts: inout [String: TextLines]) async throws -> TextLines {
        if let text = texts[commit.id] { return text }
        let text = TextLines(try await reads.content(of: commit, in: state, tenant: tenant))
        texts[commit.id] = text
        return text
    }
}
