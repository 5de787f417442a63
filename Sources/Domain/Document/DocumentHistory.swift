/// A document's history from a ref, newest first: every ancestor in the order recorded
/// (so a parent never comes before its children), or the first-parent line only.
public struct DocumentHistory: Sendable {
    public let state: DocumentState

    public init(state: DocumentState) {
        self.state = state
    }

    /// One page of history.
    public struct Page: Sendable, Equatable {
        public let commits: [DocumentCommit]
        /// The last commit of the page when more follow.
        public let next: String?
    }

    /// Up to `limit` commits of `ref`'s history, after commit `after` when given.
    /// - Throws: ``DocumentError/unknownRef(_:)``; ``DocumentError/invalid(field:reason:)``
    ///   when `after` is not in this history.
    public func page(from ref: String, firstParent: Bool, after: String?, limit: Int) throws -> Page {
        guard let start = state.resolve(ref) else {
            if ref == state.record?.defaultBranch, state.commits.isEmpty { return Page(commits: [], next: nil) }
            throw DocumentError.unknownRef(ref)
        }
        let ids = firstParent ? firstParentLine(from: start.id) : everyAncestor(of: start.id)
        var from = 0
        if let after {
            guard let index = ids.firstIndex(of: after) else {
                throw DocumentError.invalid(field: "after", reason: "is not a commit of this history")
            }
            from = index + 1
        }
        let slice = ids[from..<min(ids.count, from + max(1, limit))]
        let next = from + slice.count < ids.count ? slice.last : nil
        return Page(commits: slice.compactMap { state.commits[$0] }, next: next)
    }

    private func firstParentLine(from id: String) -> [String] {
        var line: [String] = []
        var current: String? = id
        while let commit = current {
            line.append(commit)
            current = state.commits[commit]?.parents.first
        }
        return line
    }

    private func everyAncestor(of id: String) -> [String] {
        state.graph.ancestors(of: id).sorted { (state.sequence[$0] ?? 0) > (state.sequence[$1] ?? 0) }
    }
}
