import Foundation

extension Session {
    public static func decide(_ command: SessionCommand, _ state: SessionState) throws -> [SessionEvent] {
        if case .start(let sessionID, let ownerID, let title, let config, let at) = command {
            return try start(sessionID: sessionID, ownerID: ownerID, title: title, config: config, at: at, state)
        }
        guard case .started(let record) = state else { throw SessionError.notStarted }
        switch command {
        case .restore(let at): return record.deleted ? [.restored(sessionID: record.sessionID, at: at)] : []
        case .delete where record.deleted: return []
        default: break
        }
        guard !record.deleted else { throw SessionError.deleted }
        guard record.eventCount < SessionLimits.maximumEvents else {
            throw SessionError.full(limit: "events", reason: "a session's stream holds at most \(SessionLimits.maximumEvents) events")
        }
        return try record.decide(command)
    }

    private static func start(sessionID: String, ownerID: String, title: String, config: ModelConfig, at: Date,
                              _ state: SessionState) throws -> [SessionEvent] {
        try SessionValidation.identifier(sessionID, field: "session_id")
        try SessionValidation.identifier(ownerID, field: "owner")
        try SessionValidation.title(title)
        try SessionValidation.config(config)
        if case .started(let record) = state {
            guard record.ownerID == ownerID, record.title == title, record.config == config else {
                throw SessionError.alreadyStarted
            }
            return []
        }
        return [.started(sessionID: sessionID, ownerID: ownerID, title: title, config: config, at: at)]
    }
}

extension SessionRecord {
    func decide(_ command: SessionCommand) throws -> [SessionEvent] {
        let id = sessionID
        switch command {
        case .start, .restore: return []
        case .append(let message, let followActive, let at): return try append(message, followActive: followActive, at: at)
        case .edit(let messageID, let newMessageID, let content, let at):
            return try edit(messageID, newMessageID: newMessageID, content: content, at: at)
        case .switchBranch(let messageID, let at):
            guard messages[messageID] != nil else { throw SessionError.unknownMessage(messageID) }
            let leaf = newestLeaf(under: messageID)
            return leaf == activeMessageID ? [] : [.branchSwitched(sessionID: id, messageID: leaf, at: at)]
        case .rename(let title, let at):
            try SessionValidation.title(title)
            return title == self.title ? [] : [.renamed(sessionID: id, title: title, at: at)]
        case .configure(let config, let at):
            try SessionValidation.config(config)
            return config == self.config ? [] : [.configChanged(sessionID: id, config, at: at)]
        case .tag(let tags, let at):
            let tags = try SessionValidation.tags(tags)
            return tags == self.tags ? [] : [.tagged(sessionID: id, tags: tags, at: at)]
        case .archive(let at): return archived ? [] : [.archived(sessionID: id, at: at)]
        case .unarchive(let at): return archived ? [.unarchived(sessionID: id, at: at)] : []
        case .delete(let at): return [.deleted(sessionID: id, at: at)]
        case .summarize(let summaryID, let through, let summary, let at):
            return try summarize(summaryID, through: through, summary: summary, at: at)
        case .share(let share, let at): return try self.share(share, at: at)
        case .revokeShare(let shareID, let at):
            guard let record = shares[shareID] else { throw SessionError.unknownShare(shareID) }
            return record.revoked ? [] : [.shareRevoked(sessionID: id, shareID: shareID, at: at)]
        }
    }

    /// The newest message in the subtree of `messageID` that has no children.
    func newestLeaf(under messageID: String) -> String {
        var newest: (id: String, sequence: Int)?
        var stack = [messageID]
        while let next = stack.popLast() {
            let below = children[next] ?? []
            if below.isEmpty, let node = messages[next], node.sequence > newest?.sequence ?? -1 {
                newest = (next, node.sequence)
            }
            stack += below
        }
        return newest?.id ?? messageID
    }
}
