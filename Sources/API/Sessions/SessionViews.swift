import Domain
import Foundation
import Hummingbird

/// A session as the sessions read model has it.
struct SessionView: ResponseEncodable, Equatable {
    struct Summary: Codable, Equatable {
        let id: String
        let throughMessageId: String
        let text: String
    }

    let id: String
    let owner: String
    let title: String
    let config: ModelConfigBody
    let tags: [String]
    let archived: Bool
    let deleted: Bool
    let startedAt: String
    let lastActivityAt: String
    let messageCount: Int
    let tokenCount: Int64
    let activeMessageId: String?
    let summary: Summary?
    let streamVersion: Int64
    /// On a write's response: the log position of its last event (also `Eventloom-Position`).
    var position: String? = nil
}

/// A message, with its place in the tree.
struct MessageView: ResponseEncodable, Equatable {
    let id: String
    let parentId: String?
    let role: String
    let content: String
    let model: String?
    let promptTokens: Int64
    let completionTokens: Int64
    let citations: [CitationBody]
    /// The message this one is an edit of (a sibling with the earlier content).
    let editedFrom: String?
    let createdAt: String
    /// The messages that follow it, oldest first (in a tree listing).
    var children: [String]?
}

/// `GET /v1/sessions/{id}/messages`: the whole tree, and which message is active.
struct MessageTreeView: Encodable {
    let sessionId: String
    let activeMessageId: String?
    let messages: [MessageView]

    func encode(to encoder: any Encoder) throws {
        try MessageListKeys.encode(sessionId, activeMessageId, messages, to: encoder)
    }
}

/// `GET /v1/sessions/{id}/branch`: the active branch, root first.
struct BranchView: Encodable {
    let sessionId: String
    let activeMessageId: String?
    let messages: [MessageView]

    func encode(to encoder: any Encoder) throws {
        try MessageListKeys.encode(sessionId, activeMessageId, messages, to: encoder)
    }
}

/// The tree's and the branch's shape: `active_message_id` is required by the spec, so it
/// is `null` (not left out) for a session without messages.
enum MessageListKeys: String, CodingKey {
    case sessionId, activeMessageId, messages

    static func encode(_ sessionID: String, _ activeMessageID: String?, _ messages: [MessageView], to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Self.self)
        try container.encode(sessionID, forKey: .sessionId)
        try container.encode(activeMessageID, forKey: .activeMessageId)
        try container.encode(messages, forKey: .messages)
    }
}

/// A shared link of a session.
struct ShareView: ResponseEncodable, Equatable {
    let id: String
    let sessionId: String
    let mode: String
    let messageId: String?
    let expiresAt: String?
    let passwordProtected: Bool
    let sharedAt: String
    let revokedAt: String?
    let views: Int64
    /// Where the link is read, without an API key.
    let url: String
    /// On a write's response: the log position of its last event (also `Eventloom-Position`).
    var position: String? = nil
}
