import Domain
import EventStore
import EventStoreTesting
import Foundation
import Logging
import Projections
import ProjectionsTesting
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// Erasing a data subject: its key is destroyed with the record of the erasure, its
/// personal data reads as erased in the log, in the read model and in
/// the write path's state, and another subject's data is untouched.
@Suite struct ErasureTests {
    @Test func erasedSubject_readsAsErasedEverywhere_andNothingMoreIsWrittenForIt_whileAnotherIsUntouched() async throws {
        try await TestDatabase.withDatabase { store, url in
            let sessions = CommandHandler(store: store, decider: Session.self, cache: StateCache(capacity: 100))
            func start(_ id: String, owner: String) async throws {
                _ = try await sessions.handle([
                    .start(sessionID: id, ownerID: owner, title: "\(owner)'s diagnosis", config: ModelConfig(model: "m", systemPrompt: "care for \(owner)"), at: t0),
                    .tag(["private-\(owner)"], at: t0),
                    .append(ChatMessage(messageID: "m1", parentID: nil, role: .user, content: "\(owner) has asthma",
                                        citations: [Citation(documentID: "d", chunkID: "c", quote: "\(owner)'s record")]), at: t0),
                ], tenant: "acme", stream: Session.stream(id))
            }
            try await start("a", owner: "alice")
            try await start("b", owner: "bob")
            #expect(try await store.subjectKeyState(tenant: "acme", subject: "alice") == .held)
            #expect(try await store.subjectKeyState(tenant: "acme", subject: "carol") == .unknown)

            try await withRunner(SessionsProjection(), store, databaseURL: url) {
                let erasure = try NewEvent(SubjectEvent.erased(subjectID: "alice", reason: "request 7", at: t0))
                let erased = try await store.eraseSubject(tenant: "acme", subject: "alice", stream: DataSubject.stream("alice"),
                                                          expected: .noStream, erasure: erasure)
                try await waitUntilProjected(store, "sessions", erased.lastCursor)
                let aliceRows = try await rows(store, """
                    SELECT concat_ws('|', s.title, s.config, array_to_string(s.tags, ','), m.content, m.citations)
                      FROM projection_sessions.sessions s JOIN projection_sessions.session_messages m USING (tenant_id, session_id)
                     WHERE s.owner_id = 'alice'
                    """)
                #expect(aliceRows.count == 1 && !aliceRows[0].contains("alice"), "\(aliceRows)")
                #expect(aliceRows.first?.contains("[erased]") == true)
                let bobRows = try await rows(store, "SELECT m.content FROM projection_sessions.session_messages m WHERE m.owner_id = 'bob'")
                #expect(bobRows == ["bob has asthma"])

                // A rebuild from the log writes what erase wrote.
                let catalog = ProjectionCatalog(client: store.client, logger: Logger(label: "t"))
                #expect(try await catalog.requestRebuild("sessions"))
                try await waitUntil(timeout: TestDatabase.horizonTimeout, "rebuilt") {
                    try await catalog.status("sessions")?.lastRebuiltAtMicros != nil
                }
                let rebuilt = try await rows(store, """
                    SELECT concat_ws('|', s.title, s.config, array_to_string(s.tags, ','), m.content, m.citations)
                      FROM projection_sessions.sessions s JOIN projection_sessions.session_messages m USING (tenant_id, session_id)
                     WHERE s.owner_id = 'alice'
                    """)
                #expect(rebuilt == aliceRows, "rebuilt: \(rebuilt), erased in place: \(aliceRows)")
                #expect(try await rows(store, "SELECT m.content FROM projection_sessions.session_messages m WHERE m.owner_id = 'bob'") == bobRows)
            }

            // The log: sealed, and now revealed as erased; bob's still opens.
            let log = try await store.revealPersonalData(try await store.readLog(after: .start, filter: LogFilter(tenant: "acme"), limit: 100))
            let aliceEvents = log.filter { $0.stream == Session.stream("a") }
            #expect(aliceEvents.count == 3)
            for event in aliceEvents {
                for secret in ["diagnosis", "care for", "private-", "asthma", "record"] {
                    #expect(!event.data.contains(secret), "\(secret) readable in \(event.type): \(event.data)")
                }
            }
            #expect(aliceEvents.last?.data.contains("[erased]") == true)
            #expect(log.contains { $0.data.contains("bob has asthma") })

            // The write path's state cache, filled before the erasure: its next read folds
            // the erased fields, not the plaintext it held.
            let cached = try await sessions.handle([], tenant: "acme", stream: Session.stream("a"))
            for secret in ["diagnosis", "care for", "private-", "asthma"] {
                #expect(!"\(cached.state)".contains(secret), "\(secret) in the cached state: \(cached.state)")
            }
            #expect("\(cached.state)".contains("[erased]"))

            // The write path: refused for the erased subject, even from a state cached before.
            await #expect(throws: EventStoreError.self) {
                _ = try await sessions.handle(.rename(title: "new", at: t0), tenant: "acme", stream: Session.stream("a"))
            }
            _ = try await sessions.handle(.rename(title: "bob's new title", at: t0), tenant: "acme", stream: Session.stream("b"))

            // A second erasure is refused by the stream's version; nothing is written.
            await #expect(throws: EventStoreError.self) {
                _ = try await store.eraseSubject(tenant: "acme", subject: "alice", stream: DataSubject.stream("alice"), expected: .noStream,
                                                 erasure: try NewEvent(SubjectEvent.erased(subjectID: "alice", reason: "again", at: t0)))
            }
            #expect(try await store.readStream(tenant: "acme", stream: DataSubject.stream("alice")).count == 1)

            #expect(try await store.verify().isIntact, "the chains still verify over the sealed fields")
        }
    }
}
