/// A document as its stream left it.
public struct DocumentState: Sendable, Equatable {
    public internal(set) var record: DocumentRecord?
    /// Branch name → head commit id (unborn branches are absent).
    public internal(set) var branches: [String: String] = [:]
    public internal(set) var tags: [String: DocumentTag] = [:]
    public internal(set) var commits: [String: DocumentCommit] = [:]
    public internal(set) var graph = CommitGraph()
    /// Each commit's place in the order they were recorded (parents before children).
    public internal(set) var sequence: [String: Int] = [:]

    public init() {}

    public var isKnown: Bool { record != nil }

    /// The commit `ref` names: a full commit id, `refs/tags/<t>`, `refs/heads/<b>`, or a
    /// bare name looked up as a tag, then as a branch (git's order).
    public func resolve(_ ref: String) -> DocumentCommit? {
        if let commit = commits[ref] { return commit }
        if ref.hasPrefix("refs/tags/") { return tags[String(ref.dropFirst(10))].flatMap { commits[$0.commitID] } }
        if ref.hasPrefix("refs/heads/") { return branches[String(ref.dropFirst(11))].flatMap { commits[$0] } }
        if let tag = tags[ref] { return commits[tag.commitID] }
        return branches[ref].flatMap { commits[$0] }
    }
}
