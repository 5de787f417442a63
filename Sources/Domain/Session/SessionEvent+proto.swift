import Foundation
import Schemas
import SwiftProtobuf

extension SessionEvent {
    /// The event as its protobuf message (schemas/eventloom/v1/sessions.proto).
    func message() -> any SwiftProtobuf.Message {
        switch self {
        case .started(let id, let owner, let title, let config, let at):
            Eventloom_V1_SessionStarted.with {
                $0.sessionID = id; $0.ownerID = owner; $0.title = title; $0.config = config.proto; $0.startedAt = at.timestamp
            }
        case .messageAppended(let id, let message, let at):
            Eventloom_V1_MessageAppended.with { message.write(to: &$0); $0.sessionID = id; $0.appendedAt = at.timestamp }
        case .messageEdited(let id, let messageID, let edited, let parent, let role, let content, let at):
            Eventloom_V1_MessageEdited.with {
                $0.sessionID = id; $0.messageID = messageID; $0.editedMessageID = edited; $0.parentID = parent ?? ""
                $0.role = role.rawValue; $0.content = content; $0.editedAt = at.timestamp
            }
        case .branchSwitched(let id, let messageID, let at):
            Eventloom_V1_BranchSwitched.with { $0.sessionID = id; $0.messageID = messageID; $0.switchedAt = at.timestamp }
        case .renamed(let id, let title, let at):
            Eventloom_V1_SessionRenamed.with { $0.sessionID = id; $0.title = title; $0.renamedAt = at.timestamp }
        case .configChanged(let id, let config, let at):
            Eventloom_V1_SessionConfigChanged.with { $0.sessionID = id; $0.config = config.proto; $0.changedAt = at.timestamp }
        case .tagged(let id, let tags, let at):
            Eventloom_V1_SessionTagged.with { $0.sessionID = id; $0.tags = tags; $0.taggedAt = at.timestamp }
        case .archived(let id, let at): Eventloom_V1_SessionArchived.with { $0.sessionID = id; $0.archivedAt = at.timestamp }
        case .unarchived(let id, let at): Eventloom_V1_SessionUnarchived.with { $0.sessionID = id; $0.unarchivedAt = at.timestamp }
        case .deleted(let id, let at): Eventloom_V1_SessionDeleted.with { $0.sessionID = id; $0.deletedAt = at.timestamp }
        case .restored(let id, let at): Eventloom_V1_SessionRestored.with { $0.sessionID = id; $0.restoredAt = at.timestamp }
        case .summarized(let id, let summaryID, let through, let summary, let at):
            Eventloom_V1_SessionSummarized.with {
                $0.sessionID = id; $0.summaryID = summaryID; $0.throughMessageID = through; $0.summary = summary
                $0.summarizedAt = at.timestamp
            }
        case .shared(let id, let share, let at):
            Eventloom_V1_SessionShared.with {
                $0.sessionID = id; $0.shareID = share.shareID; $0.mode = share.mode.rawValue; $0.messageID = share.messageID ?? ""
                if let expiresAt = share.expiresAt { $0.expiresAt = expiresAt.timestamp }
                $0.passwordHash = share.passwordHash ?? ""; $0.sharedAt = at.timestamp
            }
        case .shareRevoked(let id, let shareID, let at):
            Eventloom_V1_ShareRevoked.with { $0.sessionID = id; $0.shareID = shareID; $0.revokedAt = at.timestamp }
        }
    }

    /// The event of kind `kind` that `json` encodes.
    static func decode(_ kind: Kind, json: String) throws -> SessionEvent {
        let type = kind.name
        switch kind {
        case .started:
            let m = try kind.decode(Eventloom_V1_SessionStarted.self, from: json)
            return .started(sessionID: m.sessionID, ownerID: m.ownerID, title: m.title, config: ModelConfig(m.config), at: m.startedAt.date)
        case .messageAppended:
            let m = try kind.decode(Eventloom_V1_MessageAppended.self, from: json)
            return .messageAppended(sessionID: m.sessionID, try ChatMessage(m, type: type), at: m.appendedAt.date)
        case .messageEdited:
            let m = try kind.decode(Eventloom_V1_MessageEdited.self, from: json)
            return .messageEdited(sessionID: m.sessionID, messageID: m.messageID, editedMessageID: m.editedMessageID,
                                  parentID: m.parentID.isEmpty ? nil : m.parentID, role: try role(m.role, type: type),
                                  content: m.content, at: m.editedAt.date)
        case .branchSwitched:
            let m = try kind.decode(Eventloom_V1_BranchSwitched.self, from: json)
            return .branchSwitched(sessionID: m.sessionID, messageID: m.messageID, at: m.switchedAt.date)
        case .renamed:
            let m = try kind.decode(Eventloom_V1_SessionRenamed.self, from: json)
            return .renamed(sessionID: m.sessionID, title: m.title, at: m.renamedAt.date)
        case .configChanged:
            let m = try kind.decode(Eventloom_V1_SessionConfigChanged.self, from: json)
            return .configChanged(sessionID: m.sessionID, ModelConfig(m.config), at: m.changedAt.date)
        case .tagged:
            let m = try kind.decode(Eventloom_V1_SessionTagged.self, from: json)
            return .tagged(sessionID: m.sessionID, tags: m.tags, at: m.taggedAt.date)
        case .archived:
            let m = try kind.decode(Eventloom_V1_SessionArchived.self, from: json)
            return .archived(sessionID: m.sessionID, at: m.archivedAt.date)
        case .unarchived:
            let m = try kind.decode(Eventloom_V1_SessionUnarchived.self, from: json)
            return .unarchived(sessionID: m.sessionID, at: m.unarchivedAt.date)
        case .deleted:
            let m = try kind.decode(Eventloom_V1_SessionDeleted.self, from: json)
            return .deleted(sessionID: m.sessionID, at: m.deletedAt.date)
        case .restored:
            let m = try kind.decode(Eventloom_V1_SessionRestored.self, from: json)
            return .restored(sessionID: m.sessionID, at: m.restoredAt.date)
        case .summarized:
            let m = try kind.decode(Eventloom_V1_SessionSummarized.self, from: json)
            return .summarized(sessionID: m.sessionID, summaryID: m.summaryID, throughMessageID: m.throughMessageID,
                               summary: m.summary, at: m.summarizedAt.date)
        case .shared:
            let m = try kind.decode(Eventloom_V1_SessionShared.self, from: json)
            guard let mode = ShareMode(rawValue: m.mode) else {
                throw EventCodingError.invalidPayload(type: type, reason: "unknown share mode \(m.mode)")
            }
            let share = SessionShare(shareID: m.shareID, mode: mode, messageID: m.messageID.isEmpty ? nil : m.messageID,
                                     expiresAt: m.hasExpiresAt ? m.expiresAt.date : nil,
                                     passwordHash: m.passwordHash.isEmpty ? nil : m.passwordHash)
            return .shared(sessionID: m.sessionID, share, at: m.sharedAt.date)
        case .shareRevoked:
            let m = try kind.decode(Eventloom_V1_ShareRevoked.self, from: json)
            return .shareRevoked(sessionID: m.sessionID, shareID: m.shareID, at: m.revokedAt.date)
        }
    }

    static func role(_ text: String, type: String) throws -> MessageRole {
        guard let role = MessageRole(rawValue: text) else {
            throw EventCodingError.invalidPayload(type: type, reason: "unknown message role \(text)")
        }
        return role
    }
}
