import Foundation

/// What the rules of a session need to know of it: no message content, only fingerprints.
public enum SessionState: Sendable, Hashable {
    case none
    case started(SessionRecord)
}

/// A started session, as its commands see it.
public struct SessionRecord: Sendable, Hashable {
    public var sessionID: String
    public var ownerID: String
    public var title: String
    public var config: ModelConfig
    public var tags: [String] = []
    public var archived = false
    public var deleted = false
    public var messages: [String: MessageNode] = [:]
    public var children: [String: [String]] = [:]
    public var activeMessageID: String?
    /// Summary id → fingerprint of (through, summary).
    public var summaries: [String: UInt64] = [:]
    public var shares: [String: ShareRecord] = [:]
    public var startedAt: Date
    /// When the newest message was added (the start, before any).
    public var lastActivityAt: Date
    /// Prompt and completion tokens of every message.
    public var tokenCount: UInt64 = 0
    /// UTF-8 bytes of every message's content and citation quotes.
    public var contentBytes = 0
    /// Events in the stream.
    public var eventCount = 1
    /// The latest summary: id, the message it covers up to, its text.
    public var latestSummary: (id: String, through: String, text: String)? {
        get { summary.map { ($0.id, $0.through, $0.text) } }
        set { summary = newValue.map { LatestSummary(id: $0.id, through: $0.through, text: $0.text) } }
    }
    private var summary: LatestSummary?

    public init(sessionID: String, ownerID: String, title: String, config: ModelConfig, startedAt: Date) {
        self.sessionID = sessionID
        self.ownerID = ownerID
        self.title = title
        self.config = config
        self.startedAt = startedAt
        self.lastActivityAt = startedAt
    }
}

struct LatestSummary: Sendable, Hashable {
    var id: String
    var through: String
    var text: String
}

/// A message's place in the tree and the fingerprint of what it says.
public struct MessageNode: Sendable, Hashable {
    public var parentID: String?
    public var role: MessageRole
    /// Its rank in the order messages were added, from 0.
    public var sequence: Int
    /// FNV-1a of the message's fields: a retry with the same id must match it.
    public var fingerprint: UInt64
    /// FNV-1a of its content alone: an edit must change it.
    public var contentFingerprint: UInt64
}

/// A shared link, as the rules see it.
public struct ShareRecord: Sendable, Hashable {
    public var share: SessionShare
    public var sharedAt: Date
    /// When it was revoked; nil while it is not.
    public var revokedAt: Date?
    public var revoked: Bool { revokedAt != nil }
}
