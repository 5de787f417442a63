import Foundation

extension Session {
    public static func evolve(_ state: SessionState, _ event: SessionEvent) -> SessionState {
        if case .started(let sessionID, let ownerID, let title, let config, let at) = event {
            guard case .none = state else { return state }
            return .started(SessionRecord(sessionID: sessionID, ownerID: ownerID, title: title, config: config, startedAt: at))
        }
        guard case .started(var record) = state else { return state }
        record.apply(event)
        return .started(record)
    }
}

extension SessionRecord {
    mutating func apply(_ event: SessionEvent) {
        eventCount += 1
        switch event {
        case .started: break
        case .messageAppended(_, let message, let at):
            add(message, at: at)
        case .messageEdited(_, let messageID, _, let parentID, let role, let content, let at):
            add(ChatMessage(messageID: messageID, parentID: parentID, role: role, content: content), at: at)
        case .branchSwitched(_, let messageID, _): activeMessageID = messageID
        case .renamed(_, let title, _): self.title = title
        case .configChanged(_, let config, _): self.config = config
        case .tagged(_, let tags, _): self.tags = tags
        case .archived: archived = true
        case .unarchived: archived = false
        case .deleted: deleted = true
        case .restored: deleted = false
        case .summarized(_, let summaryID, let through, let summary, _):
            summaries[summaryID] = Fingerprint.of(through, summary)
            latestSummary = (summaryID, through, summary)
        case .shared(_, let share, let at): shares[share.shareID] = ShareRecord(share: share, sharedAt: at)
        case .shareRevoked(_, let shareID, let at):
            if shares[shareID]?.revokedAt == nil { shares[shareID]?.revokedAt = at }
        }
    }

    private mutating func add(_ message: ChatMessage, at: Date) {
        guard messages[message.messageID] == nil else { return }
        lastActivityAt = max(lastActivityAt, at)
        tokenCount += message.promptTokens + message.completionTokens
        contentBytes += message.contentBytes
        messages[message.messageID] = MessageNode(
            parentID: message.parentID, role: message.role, sequence: messages.count, fingerprint: Fingerprint.of(message),
            contentFingerprint: Fingerprint.of(message.content))
        children[message.parentID ?? "", default: []].append(message.messageID)
        activeMessageID = message.messageID
    }
}
