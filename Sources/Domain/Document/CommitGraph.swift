/// A document's commits as a DAG: each commit's parents (none for a root, one for an
/// edit, two for a merge).
public struct CommitGraph: Sendable, Equatable {
    public private(set) var parents: [String: [String]] = [:]

    public init() {}

    /// Records `commit` with `parents` (each already recorded).
    public mutating func add(_ commit: String, parents: [String]) {
        self.parents[commit] = parents
    }

    public func contains(_ commit: String) -> Bool { parents[commit] != nil }

    /// `commit` and every commit reachable from it through parents.
    public func ancestors(of commit: String) -> Set<String> {
        reachable(from: [commit])
    }

    /// Whether `ancestor` is `commit` itself or reachable from it.
    public func isAncestor(_ ancestor: String, of commit: String) -> Bool {
        ancestors(of: commit).contains(ancestor)
    }

    /// The best common ancestors of `a` and `b`, sorted: common ancestors none of which is
    /// an ancestor of another (as `git merge-base --all`). Empty for unrelated histories;
    /// more than one after criss-cross merges.
    public func mergeBases(_ a: String, _ b: String) -> [String] {
        let common = ancestors(of: a).intersection(ancestors(of: b))
        let belowCommon = reachable(from: common.flatMap { parents[$0] ?? [] })
        return common.subtracting(belowCommon).sorted()
    }

    private func reachable(from starts: [String]) -> Set<String> {
        var seen: Set<String> = []
        var pending = starts
        while let commit = pending.popLast() {
            guard seen.insert(commit).inserted else { continue }
            pending += parents[commit] ?? []
        }
        return seen
    }
}
