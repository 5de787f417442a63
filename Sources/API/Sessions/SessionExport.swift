import Domain
import Foundation
import Hummingbird

/// A session as `GET /v1/sessions/{id}/export` writes it and `POST /v1/sessions/import`
/// reads it: the whole tree (every branch, edits, citations, times), the active message,
/// title, configuration, tags and latest summary. Ids of the session, its owner and its
/// shares are not part of it: an import is a new session of the importer.
struct SessionExport: Codable, ResponseEncodable {
    static let currentFormat = "eventloom.session.v1"

    struct ExportedMessage: Codable, Equatable {
        let id: String
        let parentId: String?
        let role: MessageRole
        let content: String
        let model: String?
        let promptTokens: UInt64?
        let completionTokens: UInt64?
        let citations: [CitationBody]?
        let editedFrom: String?
        let createdAt: String
    }

    let format: String
    let title: String
    let config: ModelConfigBody
    let tags: [String]
    let activeMessageId: String?
    let summary: SessionView.Summary?
    let messages: [ExportedMessage]

    init(_ session: SessionView, messages: [MessageView]) {
        format = Self.currentFormat
        title = session.title
        config = session.config
        tags = session.tags
        activeMessageId = session.activeMessageId
        summary = session.summary
        self.messages = messages.map {
            ExportedMessage(id: $0.id, parentId: $0.parentId, role: MessageRole(rawValue: $0.role) ?? .user, content: $0.content,
                            model: $0.model, promptTokens: UInt64(clamping: $0.promptTokens),
                            completionTokens: UInt64(clamping: $0.completionTokens), citations: $0.citations,
                            editedFrom: $0.editedFrom, createdAt: $0.createdAt)
        }
    }

    /// The commands that rebuild the session as `sessionID` of `ownerID`, all or nothing.
    /// - Throws: ``APIError`` 400 for a document that is not an export this release reads.
    func commands(sessionID: String, ownerID: String, now: Date) throws -> [SessionCommand] {
        guard format == Self.currentFormat else { throw APIError.invalid("format", "must be \(Self.currentFormat)") }
        guard messages.count <= SessionLimits.maximumMessages else {
            throw APIError.invalid("messages", "at most \(SessionLimits.maximumMessages) messages")
        }
        var commands: [SessionCommand] = [.start(sessionID: sessionID, ownerID: ownerID, title: title, config: config.config, at: now)]
        let byID = Dictionary(messages.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, message) in messages.enumerated() {
            guard let at = try APITime.parse(message.createdAt, field: "messages[\(index)].created_at") else { continue }
            guard at <= now.addingTimeInterval(300) else {
                throw APIError.invalid("messages[\(index)].created_at", "is in the future")
            }
            if let original = message.editedFrom {
                commands.append(try edit(message, of: byID[original], index: index, at: at))
            } else {
                commands.append(.append(ChatMessage(
                    messageID: message.id, parentID: message.parentId, role: message.role, content: message.content, model: message.model,
                    promptTokens: message.promptTokens ?? 0, completionTokens: message.completionTokens ?? 0,
                    citations: (message.citations ?? []).map(\.citation)), followActive: false, at: at))
            }
        }
        if let summary { commands.append(.summarize(summaryID: summary.id, throughMessageID: summary.throughMessageId, summary: summary.text, at: now)) }
        if !tags.isEmpty { commands.append(.tag(tags, at: now)) }
        if let activeMessageId { commands.append(.switchBranch(to: activeMessageId, at: now)) }
        return commands
    }

    /// An edit is a sibling of its original with the same role and parent, and nothing
    /// but content: anything else cannot come from an export.
    private func edit(_ message: ExportedMessage, of original: ExportedMessage?, index: Int, at: Date) throws -> SessionCommand {
        guard let original, original.parentId == message.parentId, original.role == message.role, message.model == nil,
              (message.promptTokens ?? 0) == 0, (message.completionTokens ?? 0) == 0, (message.citations ?? []).isEmpty else {
            throw APIError.invalid("messages[\(index)].edited_from",
                                   "an edit must name an earlier message with the same parent and role, and carry only content")
        }
        return .edit(messageID: original.id, newMessageID: message.id, content: message.content, at: at)
    }
}
