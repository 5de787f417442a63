/// The rules a document command can break.
public enum DocumentError: Error, Equatable, Sendable {
    /// Nothing was ever recorded about this document.
    case unknown
    case alreadyExists
    /// No branch, tag or commit of the document is called `ref`.
    case unknownRef(String)
    /// The branch is no longer where the caller read it: `current` (nil: unborn).
    case headMoved(branch: String, expected: String?, current: String?)
    case branchExists(String)
    case tagExists(String)
    /// The default branch cannot be deleted.
    case defaultBranch(String)
    /// A commit with this id is recorded already.
    case commitExists(String)
    case tooMany(what: String, limit: Int)
    case invalid(field: String, reason: String)
}
