import Domain
import Foundation

/// A session as the sessions read model has it.
public struct SessionRow: Sendable, Hashable {
    /// The latest summary, up to a message.
    public struct Summary: Sendable, Hashable {
        public let id: String
        public let throughMessageID: String
        public let text: String
    }

    public let id: String
    public let owner: String
    public let title: String
    public let config: ModelConfig
    public let tags: [String]
    public let archived: Bool
    public let deleted: Bool
    public let startedAt: Date
    public let lastActivityAt: Date
    public let messageCount: Int
    public let tokenCount: Int64
    public let activeMessageID: String?
    public let summary: Summary?
    /// The version of the session's stream the row reflects.
    public let streamVersion: Int64
}

/// A message as the sessions read model has it, with its parent in the tree.
public struct MessageRow: Sendable, Hashable {
    public let id: String
    public let parentID: String?
    public let role: String
    public let content: String
    public let model: String?
    public let promptTokens: Int64
    public let completionTokens: Int64
    public let citations: [Citation]
    /// The message this one is an edit of.
    public let editedFrom: String?
    public let createdAt: Date
}

/// A shared link as the sessions read model has it.
public struct ShareRow: Sendable, Hashable {
    public let tenant: String
    public let shareID: String
    public let sessionID: String
    public let mode: String
    public let messageID: String?
    public let expiresAt: Date?
    public let passwordHash: String?
    public let sharedAt: Date
    public let revokedAt: Date?
    public let views: Int64

    public var revoked: Bool { revokedAt != nil }
}

/// One hit of a session search.
public struct SearchRow: Sendable, Hashable {
    public let sessionID: String
    public let title: String
    /// The message that matched; nil when the title did.
    public let messageID: String?
    /// The whole matching text (a message's content or the title).
    public let text: String
    public let rank: Double
}
