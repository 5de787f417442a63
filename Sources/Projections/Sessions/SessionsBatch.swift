import Domain
import EventStore
import Foundation

/// A batch of session events folded in memory: sessions and messages to insert, one
/// delta per session touched, shares opened, revoked and viewed.
struct SessionsBatch {
    struct SessionKey: Hashable {
        let tenant: String
        let sessionID: String
    }

    /// What the batch changes in one session's row; nil fields stay as they are.
    struct SessionDelta {
        var messages = 0
        var tokens: Int64 = 0
        var lastActivity: Date?
        var activeMessageID: String?
        var version: Int64 = 0
        var title: String?
        var config: String?
        var tags: [String]?
        var archived: Bool?
        var deleted: Bool?
        var summary: (id: String, through: String, text: String)?
    }

    struct StartedRow {
        let key: SessionKey
        let ownerID: String
        let title: String
        let config: String
        let at: Date
        let version: Int64
    }

    struct MessageRow {
        let key: SessionKey
        let message: ChatMessage
        let sequence: Int64
        let citations: String
        let editedFrom: String?
        let at: Date
    }

    struct ShareRow {
        let key: SessionKey
        let share: SessionShare
        let at: Date
    }

    var started: [StartedRow] = []
    var messages: [MessageRow] = []
    var deltas: [SessionKey: SessionDelta] = [:]
    var deltaOrder: [SessionKey] = []
    var shares: [ShareRow] = []
    var revoked: [(key: SessionKey, shareID: String, at: Date)] = []
    var views: [String: (tenant: String, count: Int64, last: Date)] = [:]

    mutating func add(_ event: RecordedEvent) throws {
        if event.type == ShareViewed.Kind.viewed.name {
            let viewed = try event.decode(as: ShareViewed.self)
            let previous = views[viewed.shareID]?.count ?? 0
            views[viewed.shareID] = (event.tenant, previous + 1, viewed.at)
            return
        }
        try add(event.decode(as: SessionEvent.self), event)
    }

    private mutating func add(_ sessionEvent: SessionEvent, _ event: RecordedEvent) throws {
        switch sessionEvent {
        case .started(let sessionID, let ownerID, let title, let config, let at):
            let key = SessionKey(tenant: event.tenant, sessionID: sessionID)
            started.append(StartedRow(key: key, ownerID: ownerID, title: title, config: try config.protoJSON(), at: at,
                                      version: event.streamVersion))
            change(key, event) { _ in }
        case .messageAppended(let sessionID, let message, let at):
            addMessage(message, editedFrom: nil, at: at, sessionID: sessionID, event)
        case .messageEdited(let sessionID, let messageID, let edited, let parentID, let role, let content, let at):
            let message = ChatMessage(messageID: messageID, parentID: parentID, role: role, content: content)
            addMessage(message, editedFrom: edited, at: at, sessionID: sessionID, event)
        case .branchSwitched(let sessionID, let messageID, _):
            change(sessionID, event) { $0.activeMessageID = messageID }
        case .renamed(let sessionID, let title, _): change(sessionID, event) { $0.title = title }
        case .configChanged(let sessionID, let config, _):
            let json = try config.protoJSON()
            change(sessionID, event) { $0.config = json }
        case .tagged(let sessionID, let tags, _): change(sessionID, event) { $0.tags = tags }
        case .archived(let sessionID, _): change(sessionID, event) { $0.archived = true }
        case .unarchived(let sessionID, _): change(sessionID, event) { $0.archived = false }
        case .deleted(let sessionID, _): change(sessionID, event) { $0.deleted = true }
        case .restored(let sessionID, _): change(sessionID, event) { $0.deleted = false }
        case .summarized(let sessionID, let summaryID, let through, let summary, _):
            change(sessionID, event) { $0.summary = (summaryID, through, summary) }
        case .shared(let sessionID, let share, let at):
            shares.append(ShareRow(key: SessionKey(tenant: event.tenant, sessionID: sessionID), share: share, at: at))
            change(sessionID, event) { _ in }
        case .shareRevoked(let sessionID, let shareID, let at):
            revoked.append((SessionKey(tenant: event.tenant, sessionID: sessionID), shareID, at))
            change(sessionID, event) { _ in }
        }
    }

    private mutating func addMessage(_ message: ChatMessage, editedFrom: String?, at: Date, sessionID: String, _ event: RecordedEvent) {
        let key = SessionKey(tenant: event.tenant, sessionID: sessionID)
        messages.append(MessageRow(key: key, message: message, sequence: event.streamVersion,
                                   citations: CitationsJSON.encode(message.citations), editedFrom: editedFrom, at: at))
        change(key, event) { delta in
            delta.messages += 1
            delta.tokens += Int64(message.promptTokens + message.completionTokens)
            delta.lastActivity = max(delta.lastActivity ?? at, at)
            delta.activeMessageID = message.messageID
        }
    }

    private mutating func change(_ sessionID: String, _ event: RecordedEvent, _ body: (inout SessionDelta) -> Void) {
        change(SessionKey(tenant: event.tenant, sessionID: sessionID), event, body)
    }

    private mutating func change(_ key: SessionKey, _ event: RecordedEvent, _ body: (inout SessionDelta) -> Void) {
        if deltas[key] == nil { deltaOrder.append(key) }
        body(&deltas[key, default: SessionDelta()])
        deltas[key]?.version = event.streamVersion
    }
}
