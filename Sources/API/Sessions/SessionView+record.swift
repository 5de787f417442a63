import Domain

extension SessionView {
    /// The view of a session as its stream has it, right after a write (the read model
    /// catches up a moment later).
    init(_ record: SessionRecord, version: Int64) {
        self.init(
            id: record.sessionID, owner: record.ownerID, title: record.title, config: ModelConfigBody(record.config),
            tags: record.tags, archived: record.archived, deleted: record.deleted, startedAt: APITime.text(record.startedAt),
            lastActivityAt: APITime.text(record.lastActivityAt), messageCount: record.messages.count,
            tokenCount: Int64(clamping: record.tokenCount), activeMessageId: record.activeMessageID,
            summary: record.latestSummary.map { Summary(id: $0.id, throughMessageId: $0.through, text: $0.text) },
            streamVersion: version)
    }
}
