import Foundation

extension SessionRecord {
    func append(_ message: ChatMessage, followActive: Bool, at: Date) throws -> [SessionEvent] {
        guard !archived else { throw SessionError.archived }
        var message = message
        if let existing = messages[message.messageID] {
            // A retry of the same write changes nothing; another message under this id is refused.
            if message.parentID == nil, followActive { message.parentID = existing.parentID }
            guard existing.fingerprint == Fingerprint.of(message) else { throw SessionError.idInUse(message.messageID) }
            return []
        }
        if message.parentID == nil, followActive { message.parentID = activeMessageID }
        try SessionValidation.message(message)
        if let parent = message.parentID, messages[parent] == nil {
            throw SessionError.unknownMessage(parent)
        }
        try requireRoom(for: message)
        return [.messageAppended(sessionID: sessionID, message, at: at)]
    }

    func edit(_ messageID: String, newMessageID: String, content: String, at: Date) throws -> [SessionEvent] {
        guard !archived else { throw SessionError.archived }
        guard let original = messages[messageID] else { throw SessionError.unknownMessage(messageID) }
        let edited = ChatMessage(messageID: newMessageID, parentID: original.parentID, role: original.role, content: content)
        try SessionValidation.message(edited)
        if let existing = messages[newMessageID] {
            guard existing.fingerprint == Fingerprint.of(edited) else { throw SessionError.idInUse(newMessageID) }
            return []
        }
        if Fingerprint.of(content) == original.contentFingerprint {
            throw SessionError.invalid(field: "content", reason: "is the message's current content; an edit must change it")
        }
        try requireRoom(for: edited)
        return [.messageEdited(sessionID: sessionID, messageID: newMessageID, editedMessageID: messageID,
                               parentID: original.parentID, role: original.role, content: content, at: at)]
    }

    func summarize(_ summaryID: String, through: String, summary: String, at: Date) throws -> [SessionEvent] {
        try SessionValidation.identifier(summaryID, field: "summary_id")
        try SessionValidation.text(summary, field: "summary", maximum: SessionLimits.maximumSummaryLength)
        guard messages[through] != nil else { throw SessionError.unknownMessage(through) }
        if let existing = summaries[summaryID] {
            guard existing == Fingerprint.of(through, summary) else { throw SessionError.idInUse(summaryID) }
            return []
        }
        return [.summarized(sessionID: sessionID, summaryID: summaryID, throughMessageID: through, summary: summary, at: at)]
    }

    func share(_ share: SessionShare, at: Date) throws -> [SessionEvent] {
        try SessionValidation.identifier(share.shareID, field: "share_id")
        if let message = share.messageID, messages[message] == nil { throw SessionError.unknownMessage(message) }
        if let expiresAt = share.expiresAt, expiresAt <= at {
            throw SessionError.invalid(field: "expires_at", reason: "is not in the future")
        }
        if let existing = shares[share.shareID] {
            guard existing.share == share else { throw SessionError.idInUse(share.shareID) }
            return []
        }
        guard shares.values.filter({ !$0.revoked }).count < SessionLimits.maximumShares else {
            throw SessionError.full(limit: "shares", reason: "a session has at most \(SessionLimits.maximumShares) shares not revoked")
        }
        return [.shared(sessionID: sessionID, share, at: at)]
    }

    private func requireRoom(for message: ChatMessage) throws {
        guard messages.count < SessionLimits.maximumMessages else {
            throw SessionError.full(limit: "messages", reason: "a session holds at most \(SessionLimits.maximumMessages) messages")
        }
        guard contentBytes + message.contentBytes <= SessionLimits.maximumContentBytes else {
            throw SessionError.full(limit: "content_bytes", reason: "a session holds at most \(SessionLimits.maximumContentBytes) bytes of message content")
        }
    }
}
