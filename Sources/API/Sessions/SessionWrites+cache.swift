import Domain
import EventStore

extension SessionWrites {
    /// The cache of folded sessions for one server: `bytes` at most (roughly); nil for 0.
    static func cache(bytes: Int) -> StateCache<SessionState>? {
        bytes > 0 ? StateCache(capacity: bytes, weight: approximateBytes) : nil
    }

    /// Roughly what a folded session holds in memory: its texts, and a few hundred bytes
    /// per message (its place in the tree, fingerprints, dictionary slots) and per share.
    @Sendable static func approximateBytes(_ state: SessionState) -> Int {
        guard case .started(let record) = state else { return 64 }
        var bytes = 512 + record.sessionID.utf8.count + record.ownerID.utf8.count + record.title.utf8.count
        bytes += record.config.model.utf8.count + record.config.systemPrompt.utf8.count
        bytes += (record.config.knowledgeBaseIDs + record.config.pluginIDs + record.tags).reduce(0) { $0 + 32 + $1.utf8.count }
        bytes += record.latestSummary.map { $0.id.utf8.count + $0.through.utf8.count + $0.text.utf8.count } ?? 0
        bytes += record.messages.count * 256 + record.summaries.count * 64
        bytes += record.shares.count * 384
        return bytes
    }
}
