import Domain
import Foundation

/// A model configuration as the API takes and shows it.
struct ModelConfigBody: Codable, Equatable {
    var model: String
    var temperature: Double?
    var topP: Double?
    var maxTokens: Int?
    var systemPrompt: String?
    var knowledgeBaseIds: [String]?
    var pluginIds: [String]?

    init(_ config: ModelConfig) {
        model = config.model
        temperature = config.temperature
        topP = config.topP
        maxTokens = config.maxTokens
        systemPrompt = config.systemPrompt
        knowledgeBaseIds = config.knowledgeBaseIDs
        pluginIds = config.pluginIDs
    }

    var config: ModelConfig {
        ModelConfig(model: model, temperature: temperature, topP: topP, maxTokens: maxTokens, systemPrompt: systemPrompt ?? "",
                    knowledgeBaseIDs: knowledgeBaseIds ?? [], pluginIDs: pluginIds ?? [])
    }
}

/// A citation as the API takes and shows it.
struct CitationBody: Codable, Equatable {
    var documentId: String
    var documentVersion: UInt64?
    var chunkId: String
    var score: Double?
    var quote: String?

    init(_ citation: Citation) {
        documentId = citation.documentID
        documentVersion = citation.documentVersion
        chunkId = citation.chunkID
        score = citation.score
        quote = citation.quote
    }

    var citation: Citation {
        Citation(documentID: documentId, documentVersion: documentVersion, chunkID: chunkId, score: score, quote: quote ?? "")
    }
}

/// `POST /v1/sessions`.
struct StartSessionBody: Decodable {
    var sessionId: String?
    /// Required from a key of the tenant as a whole; a user's key starts sessions of its user.
    var owner: String?
    var title: String
    var config: ModelConfigBody
    var tags: [String]?
}

/// `PATCH /v1/sessions/{id}`: any of these; every change lands at once or none does.
struct ChangeSessionBody: Decodable {
    var title: String?
    var config: ModelConfigBody?
    var tags: [String]?
    var archived: Bool?
    var deleted: Bool?

    func commands(at now: Date) -> [SessionCommand] {
        var commands: [SessionCommand] = []
        if deleted == false { commands.append(.restore(at: now)) }
        if let title { commands.append(.rename(title: title, at: now)) }
        if let config { commands.append(.configure(config.config, at: now)) }
        if let tags { commands.append(.tag(tags, at: now)) }
        if let archived { commands.append(archived ? .archive(at: now) : .unarchive(at: now)) }
        if deleted == true { commands.append(.delete(at: now)) }
        return commands
    }
}

/// `POST /v1/sessions/{id}/messages`.
struct AppendMessageBody: Decodable {
    var messageId: String?
    /// Absent: after the active message.
    var parentId: String?
    var role: MessageRole
    var content: String
    var model: String?
    var promptTokens: UInt64?
    var completionTokens: UInt64?
    var citations: [CitationBody]?

    func message(id: String) -> ChatMessage {
        ChatMessage(messageID: id, parentID: parentId, role: role, content: content, model: model,
                    promptTokens: promptTokens ?? 0, completionTokens: completionTokens ?? 0,
                    citations: (citations ?? []).map(\.citation))
    }
}

/// `POST /v1/sessions/{id}/messages/{message_id}/edits`.
struct EditMessageBody: Decodable {
    var messageId: String?
    var content: String
}

/// `PUT /v1/sessions/{id}/branch`.
struct SwitchBranchBody: Decodable {
    var messageId: String
}

/// `POST /v1/sessions/{id}/summaries`.
struct SummarizeBody: Decodable {
    var summaryId: String?
    var throughMessageId: String
    var summary: String
}

/// `POST /v1/sessions/{id}/shares`.
struct ShareBody: Decodable {
    var mode: ShareMode?
    /// The shared turn; absent: the whole session.
    var messageId: String?
    var expiresAt: String?
    var password: String?
}
