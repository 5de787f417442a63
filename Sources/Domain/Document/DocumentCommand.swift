import Foundation

/// What a caller asks of a document. Ids, hashes and time arrive on the command.
public enum DocumentCommand: Sendable, Hashable {
    case create(DocumentRecord)
    case commit(CommitDraft)
    /// Creates branch `name` at the commit `from` resolves to.
    case createBranch(name: String, from: String, at: Date)
    case deleteBranch(name: String, at: Date)
    /// Tags the commit `ref` resolves to.
    case tag(name: String, ref: String, tagger: DocumentAuthor, message: String, at: Date)
}

/// A commit as a caller asks for it.
public struct CommitDraft: Sendable, Hashable {
    /// The id the caller computed from ``DocumentCommit/canonicalText``.
    public var id: String
    public var branch: String
    /// The head the caller read: the commit is refused when the branch moved since
    /// (nil: the branch is unborn, a document's first commit).
    public var expectedHead: String?
    /// A merge's second parent.
    public var mergeParent: String?
    public var author: DocumentAuthor
    public var message: String
    public var at: Date
    public var content: DocumentContent
    public var attributes: [DocumentAttribute]
    public var fence: DocumentFence?
    /// A root commit that starts a new branch (git's orphan branch): its history is
    /// unrelated to the document's other branches.
    public var isOrphan: Bool

    public init(id: String, branch: String, expectedHead: String?, mergeParent: String? = nil, author: DocumentAuthor,
                message: String, at: Date, content: DocumentContent, attributes: [DocumentAttribute] = [],
                fence: DocumentFence? = nil, isOrphan: Bool = false) {
        self.id = id
        self.branch = branch
        self.expectedHead = expectedHead
        self.mergeParent = mergeParent
        self.author = author
        self.message = message
        self.at = at
        self.content = content
        self.attributes = attributes
        self.fence = fence
        self.isOrphan = isOrphan
    }

    /// The parents the commit gets: the branch's head (when born), then the merge parent.
    public var parents: [String] { [expectedHead, mergeParent].compactMap { $0 } }
}
