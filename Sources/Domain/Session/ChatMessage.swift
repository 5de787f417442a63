/// A message as it is appended: who wrote what, under which parent, citing what.
public struct ChatMessage: Sendable, Hashable {
    public var messageID: String
    /// The message it answers or follows; nil: a root.
    public var parentID: String?
    public var role: MessageRole
    public var content: String
    /// The model that wrote it; nil for messages no model wrote.
    public var model: String?
    public var promptTokens: UInt64
    public var completionTokens: UInt64
    public var citations: [Citation]

    public init(messageID: String, parentID: String?, role: MessageRole, content: String, model: String? = nil,
                promptTokens: UInt64 = 0, completionTokens: UInt64 = 0, citations: [Citation] = []) {
        self.messageID = messageID
        self.parentID = parentID
        self.role = role
        self.content = content
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.citations = citations
    }
}

extension ChatMessage {
    /// UTF-8 bytes of its content and citation quotes (what ``SessionLimits/maximumContentBytes`` counts).
    var contentBytes: Int { content.utf8.count + citations.reduce(0) { $0 + $1.quote.utf8.count } }
}

/// A retrieved chunk a message cites.
public struct Citation: Sendable, Hashable, Codable {
    public var documentID: String
    /// The document version the chunk came from; nil: not known.
    public var documentVersion: UInt64?
    public var chunkID: String
    public var score: Double?
    public var quote: String

    enum CodingKeys: String, CodingKey {
        case documentID = "document_id", documentVersion = "document_version", chunkID = "chunk_id", score, quote
    }

    public init(documentID: String, documentVersion: UInt64? = nil, chunkID: String, score: Double? = nil, quote: String = "") {
        self.documentID = documentID
        self.documentVersion = documentVersion
        self.chunkID = chunkID
        self.score = score
        self.quote = quote
    }
}
