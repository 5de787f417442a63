import Domain
import EventStore
import EventStoreTesting
import Foundation
import Projections
import ProjectionsTesting
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// Message rows carry their session's owner and soft-deleted flag, whatever order the
/// events come in within one batch.
@Suite struct SessionsProjectionTests {
    @Test func messageRows_carryTheOwnerAndTheDeletedFlag_withinOneBatch() async throws {
        try await TestDatabase.withDatabase { store, url in
            let sessions = CommandHandler(store: store, decider: Session.self)
            func run(_ id: String, _ commands: [SessionCommand]) async throws -> Cursor {
                try await sessions.handle(commands, tenant: "acme", stream: Session.stream(id)).append!.lastCursor
            }
            func message(_ id: String, parent: String?) -> SessionCommand {
                .append(ChatMessage(messageID: id, parentID: parent, role: .user, content: "hello \(id)"), at: t0)
            }
            let start = { (id: String, owner: String) in
                SessionCommand.start(sessionID: id, ownerID: owner, title: "t", config: ModelConfig(model: "m"), at: t0)
            }
            // All before the runner starts, so one batch holds them all.
            _ = try await run("a", [start("a", "u1"), message("a1", parent: nil)])
            _ = try await run("a", [.delete(at: t0), .restore(at: t0), .delete(at: t0)])
            _ = try await run("b", [start("b", "u2"), .delete(at: t0)])
            _ = try await run("b", [.restore(at: t0), message("b1", parent: nil)])
            let last = try await run("c", [start("c", "u3"), message("c1", parent: nil), .delete(at: t0), .restore(at: t0)])
            try await withRunner(SessionsProjection(), store, databaseURL: url) {
                try await waitUntilProjected(store, "sessions", last)
            }
            let lines = try await rows(store, """
                SELECT concat_ws(' ', message_id, owner_id, session_deleted) FROM projection_sessions.session_messages ORDER BY 1
                """)
            #expect(lines == ["a1 u1 t", "b1 u2 f", "c1 u3 f"])
        }
    }
}
