import Foundation

/// What a caller asks of a session. Times and ids come in on the command.
public enum SessionCommand: Sendable, Hashable {
    case start(sessionID: String, ownerID: String, title: String, config: ModelConfig, at: Date)
    /// Appends `message`. With `followActive`, a nil parent means "after the active message"
    /// (a root in an empty session); without, a nil parent makes a root (an import).
    case append(ChatMessage, followActive: Bool = true, at: Date)
    /// Adds `newMessageID` as a sibling of `messageID` with `content`: a new branch.
    case edit(messageID: String, newMessageID: String, content: String, at: Date)
    /// Makes the newest message under `messageID` (itself if it has none) the active one.
    case switchBranch(to: String, at: Date)
    case rename(title: String, at: Date)
    case configure(ModelConfig, at: Date)
    /// Sets the tags to `tags` (duplicates dropped).
    case tag([String], at: Date)
    case archive(at: Date)
    case unarchive(at: Date)
    case delete(at: Date)
    case restore(at: Date)
    case summarize(summaryID: String, throughMessageID: String, summary: String, at: Date)
    case share(SessionShare, at: Date)
    case revokeShare(shareID: String, at: Date)
}
