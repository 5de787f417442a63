import Foundation

/// What happened to a document.
public enum DocumentEvent: Sendable, Hashable {
    /// The document was created, its default branch unborn until the first commit.
    case created(DocumentRecord)
    /// `commit` was recorded and its branch moved to it.
    case committed(documentID: String, DocumentCommit)
    case branchCreated(documentID: String, branch: String, commitID: String, at: Date)
    /// The branch was deleted; its commits stay.
    case branchDeleted(documentID: String, branch: String, commitID: String, at: Date)
    case tagged(documentID: String, DocumentTag)
}

/// What a document's creation records.
public struct DocumentRecord: Sendable, Hashable {
    public let id: String
    public let title: String
    /// The user or end customer the document belongs to.
    public let ownerID: String
    /// A private document is its owner's alone; erasing the owner erases it.
    public let isPrivate: Bool
    public let defaultBranch: String
    public let attributes: [DocumentAttribute]
    public let at: Date

    public init(id: String, title: String, ownerID: String, isPrivate: Bool, defaultBranch: String,
                attributes: [DocumentAttribute], at: Date) {
        self.id = id
        self.title = title
        self.ownerID = ownerID
        self.isPrivate = isPrivate
        self.defaultBranch = defaultBranch
        self.attributes = attributes
        self.at = at
    }
}

extension DocumentRecord {
    /// Whether `other` asks for this document again: everything but the time the same.
    public func isSameCreation(as other: DocumentRecord) -> Bool {
        id == other.id && title == other.title && ownerID == other.ownerID && isPrivate == other.isPrivate
            && defaultBranch == other.defaultBranch && attributes == other.attributes
    }
}
