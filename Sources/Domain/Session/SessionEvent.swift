import Foundation

/// What happened to a session.
public enum SessionEvent: Sendable, Hashable {
    case started(sessionID: String, ownerID: String, title: String, config: ModelConfig, at: Date)
    /// `message` was added (its parent resolved) and became the active message.
    case messageAppended(sessionID: String, ChatMessage, at: Date)
    /// `messageID` was added beside `editedMessageID` (same parent and role) and became active.
    case messageEdited(sessionID: String, messageID: String, editedMessageID: String, parentID: String?,
                       role: MessageRole, content: String, at: Date)
    case branchSwitched(sessionID: String, messageID: String, at: Date)
    case renamed(sessionID: String, title: String, at: Date)
    case configChanged(sessionID: String, ModelConfig, at: Date)
    /// The tags are now `tags` (sorted, unique).
    case tagged(sessionID: String, tags: [String], at: Date)
    case archived(sessionID: String, at: Date)
    case unarchived(sessionID: String, at: Date)
    case deleted(sessionID: String, at: Date)
    case restored(sessionID: String, at: Date)
    case summarized(sessionID: String, summaryID: String, throughMessageID: String, summary: String, at: Date)
    case shared(sessionID: String, SessionShare, at: Date)
    case shareRevoked(sessionID: String, shareID: String, at: Date)
}
