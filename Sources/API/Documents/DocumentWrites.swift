import Domain
import EventStore
import Foundation

/// Every document command of this process: through ``CommandHandler`` with a bounded state
/// cache; a commit's content is written in the commit's own transaction.
struct DocumentWrites: Sendable {
    let store: EventStore
    let contents: ContentStore
    let cache: StateCache<DocumentState>
    let clock: WallClock

    /// The cache of folded documents for one server: about 64 MiB of states.
    static func cache() -> StateCache<DocumentState> {
        StateCache(capacity: 64 << 20, weight: approximateBytes)
    }

    /// Roughly what a folded document holds in memory: its texts, and a few hundred bytes
    /// per commit (its record, graph entry and order) and per branch or tag.
    @Sendable static func approximateBytes(_ state: DocumentState) -> Int {
        guard let record = state.record else { return 64 }
        var bytes = 512 + record.title.utf8.count + record.attributes.reduce(0) { $0 + 64 + $1.key.utf8.count + $1.value.utf8.count }
        bytes += state.commits.values.reduce(0) { total, commit in
            total + 640 + commit.message.utf8.count + commit.author.name.utf8.count
                + commit.attributes.reduce(0) { $0 + 64 + $1.key.utf8.count + $1.value.utf8.count }
        }
        bytes += (state.branches.count + state.tags.count) * 256
        return bytes
    }

    /// Decides `command` on document `documentID` and appends the result.
    /// - Throws: ``Domain/DocumentError`` when the command breaks a rule (nothing written).
    func handle(_ command: DocumentCommand, tenant: String, documentID: String, metadata: EventMetadata,
                check: (DocumentState) throws -> Void = { _ in }) async throws -> CommandHandler<Document>.Outcome {
        try await CommandHandler(store: store, decider: Document.self, cache: cache)
            .handle([command], tenant: tenant, stream: Document.stream(documentID), metadata: metadata, check: check)
    }

    /// Commits `bytes` as `draft` describes (its content hash and size already theirs).
    /// Fenced by the lock when the draft names one: a newer grant, or a release, between
    /// the check and the commit refuses it, and nothing of it is written.
    /// - Throws: ``Domain/DocumentError``, ``Domain/LockError/staleToken(presented:current:)``.
    func commit(_ draft: CommitDraft, bytes: [UInt8], tenant: String, documentID: String, metadata: EventMetadata,
                check: (DocumentState) throws -> Void) async throws -> CommandHandler<Document>.Outcome {
        let state = try await state(tenant: tenant, documentID: documentID)
        try check(state.state)
        // A commit the rules refuse (a head that moved, say) is refused before its content is prepared.
        _ = try Document.decide(.commit(draft), state.state)
        let scope = ContentScope(tenant: tenant, privateTo: state.state.record.flatMap { $0.isPrivate ? $0.ownerID : nil })
        let previous = draft.expectedHead.flatMap { state.state.commits[$0] }.flatMap { Hex.decode($0.content.sha256) }
        let content = try await contents.prepare(bytes, scope: scope, previous: previous)
        return try await CommandHandler(store: store, decider: Document.self, cache: cache).handle(
            [.commit(draft)], tenant: tenant, stream: Document.stream(documentID), metadata: metadata, check: check,
            guards: {
                guard let fence = draft.fence else { return [] }
                return [try await store.lockFence(tenant: tenant, resource: fence.resource, token: fence.token, now: clock.now())]
            },
            alongside: { try await contents.write(content, on: $0) })
    }

    /// The document's state from the log (through the cache).
    func state(tenant: String, documentID: String) async throws -> FoldedState<DocumentState> {
        try await store.state(of: Document.self, tenant: tenant, stream: Document.stream(documentID), cache: cache)
    }
}
