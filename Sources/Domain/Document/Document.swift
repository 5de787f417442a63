import Foundation

/// A document versioned like git: commits forming a DAG (one parent, or two for a merge),
/// branches, annotated tags and per-commit metadata (docs/documents.md). Content lives
/// beside the log, addressed by its SHA-256; the events carry its hash and size.
/// Stream: `document-<document id>`.
public enum Document: Decider {
    public typealias Command = DocumentCommand
    public typealias Event = DocumentEvent
    public typealias State = DocumentState

    public static let category = "document"
    public static let initialState = DocumentState()
    /// The branch a document starts with unless its creation names another.
    public static let defaultBranch = "main"

    /// The stream of document `documentID`.
    public static func stream(_ documentID: String) -> String { "\(category)-\(documentID)" }
}

/// The bounds on what a document holds; a command beyond one is refused with ``DocumentError/invalid(field:reason:)``.
public enum DocumentLimits {
    /// Document ids: 1-100 ASCII letters, digits, `_ . : -`.
    public static let maximumIdentifierLength = 100
    public static let maximumTitleLength = 300
    /// Branch and tag names, in bytes (git's rules besides, ``RefName``).
    public static let maximumRefNameLength = 200
    public static let maximumNameLength = 200
    public static let maximumMessageLength = 10_000
    public static let maximumMimeTypeLength = 127
    public static let maximumAttributes = 64
    public static let maximumAttributeKeyLength = 100
    /// UTF-8 bytes of all attribute keys and values of one document or commit together.
    public static let maximumAttributeBytes = 16_384
    /// Commits per document: a write folds the whole stream.
    public static let maximumCommits = 20_000
    public static let maximumBranches = 1_000
    public static let maximumTags = 1_000
    /// The default content limit (EVENTLOOM_DOCUMENT_MAX_BYTES changes it).
    public static let defaultMaximumContentBytes = 32 << 20
}
