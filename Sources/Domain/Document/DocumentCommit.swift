import Foundation

/// One commit of a document, as recorded.
public struct DocumentCommit: Sendable, Hashable {
    /// Hex SHA-256 of the commit's canonical text (``DocumentCommit/canonicalText``).
    public let id: String
    /// None for a root commit, one for an edit, two for a merge (first parent first).
    public let parents: [String]
    /// The branch it was committed on.
    public let branch: String
    public let author: DocumentAuthor
    public let message: String
    public let at: Date
    public let content: DocumentContent
    public let attributes: [DocumentAttribute]
    /// The lock the commit was written under, if any.
    public let fence: DocumentFence?

    public init(id: String, parents: [String], branch: String, author: DocumentAuthor, message: String, at: Date,
                content: DocumentContent, attributes: [DocumentAttribute], fence: DocumentFence?) {
        self.id = id
        self.parents = parents
        self.branch = branch
        self.author = author
        self.message = message
        self.at = at
        self.content = content
        self.attributes = attributes
        self.fence = fence
    }

    /// The text whose SHA-256 is a commit's id: everything that makes the commit, one
    /// field per line, so that two commits with the same id record the same thing.
    public static func canonicalText(documentID: String, parents: [String], branch: String, author: DocumentAuthor,
                                     message: String, at: Date, content: DocumentContent,
                                     attributes: [DocumentAttribute]) -> String {
        var lines = ["document \(documentID)"]
        lines += parents.map { "parent \($0)" }
        lines += ["branch \(branch)", "author \(quoted(author.id)) \(quoted(author.name))",
                  "time \(Int64((at.timeIntervalSince1970 * 1_000_000).rounded()))",
                  "content \(content.sha256) \(content.size) \(quoted(content.mimeType)) \(content.modality.rawValue)"]
        lines += attributes.map { "attribute \(quoted($0.key)) \(quoted($0.value))" }
        lines += ["", message]
        return lines.joined(separator: "\n")
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}

/// Who wrote a commit or a tag: a user or end customer (their data subject id) and the
/// name they gave.
public struct DocumentAuthor: Sendable, Hashable {
    public let id: String
    public let name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// The lock a fenced commit holds: its resource and the fencing token of its grant.
public struct DocumentFence: Sendable, Hashable {
    public let resource: String
    public let token: Int64

    public init(resource: String, token: Int64) {
        self.resource = resource
        self.token = token
    }
}

/// An annotated tag: a name fixed to a commit, with who tagged it and why.
public struct DocumentTag: Sendable, Hashable {
    public let name: String
    public let commitID: String
    public let tagger: DocumentAuthor
    public let message: String
    public let at: Date

    public init(name: String, commitID: String, tagger: DocumentAuthor, message: String, at: Date) {
        self.name = name
        self.commitID = commitID
        self.tagger = tagger
        self.message = message
        self.at = at
    }
}
