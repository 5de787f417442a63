import Domain
import EventStore
import EventStoreTesting
import Foundation
import NATSTesting
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// What leaves the database after an erasure: a JetStream consumer reading the stream from
/// its start and `eventloom events read` show none of the erased subject's plaintext,
/// another subject's still opens, and the chains verify.
@Suite struct ErasureOutsideTests {
    static let secrets = ["alice's diagnosis", "care for alice", "alice has asthma", "alice's record"]

    @Test func afterErasure_jetStreamFromTheStart_andEventsRead_showNoPlaintextOfTheSubject() async throws {
        try await TestDatabase.withDatabase { store, databaseURL in
            try await TestNATSServer.withServer { server in
                let sessions = CommandHandler(store: store, decider: Session.self)
                for owner in ["alice", "bob"] {
                    _ = try await sessions.handle([
                        .start(sessionID: owner, ownerID: owner, title: "\(owner)'s diagnosis",
                               config: ModelConfig(model: "m", systemPrompt: "care for \(owner)"), at: t0),
                        .append(ChatMessage(messageID: "m1", parentID: nil, role: .user, content: "\(owner) has asthma",
                                            citations: [Citation(documentID: "d", chunkID: "c", quote: "\(owner)'s record")]), at: t0),
                    ], tenant: "acme", stream: Session.stream(owner))
                }
                let sealKey = try SealSigningKey(base64: SealSigningKey.generateText())
                try await withSealer(store, databaseURL: databaseURL, key: sealKey) { try await waitUntilSealed(store) }
                try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { relay in
                    // Published before the erasure: JetStream keeps these messages.
                    try await waitUntilPublished(relay, try await store.committedHead())
                    let erased = try await CommandHandler(store: store, decider: DataSubject.self).erase(
                        .erase(subjectID: "alice", reason: "ticket 7", at: t0), tenant: "acme")
                    let position = try #require(erased.append?.lastCursor)
                    try await waitUntilPublished(relay, position)

                    let logged = try await store.readLog(after: .start, limit: 100).count   // the seal's event too
                    let messages = try await consume(logged, from: try await jetStream(server.url), durable: "auditor")
                    #expect(messages.count == logged && logged == 6, "\(messages.count) of \(logged)")
                    let bodies = messages.map { String(decoding: $0.payload, as: UTF8.self) }
                    for secret in Self.secrets + ["bob has asthma"] {
                        #expect(!bodies.contains { $0.contains(secret) }, "\(secret) in clear on JetStream")
                    }
                    #expect(bodies.contains { $0.contains("SubjectErased") })
                }

                let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("master-\(UUID().uuidString)")
                try TestDatabase.masterKeyText.write(to: keyFile, atomically: true, encoding: .utf8)
                defer { try? FileManager.default.removeItem(at: keyFile) }
                let read = try await run(try EventloomProcess.executable().path, [
                    "events", "read", "--database-url", databaseURL, "--master-key-file", keyFile.path, "--tenant", "acme"])
                #expect(read.status == 0, "\(read.output)")
                let lines = read.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("{") }
                #expect(lines.count == 5, "\(read.output)")
                for secret in Self.secrets {
                    #expect(!read.output.contains(secret), "\(secret) readable through events read")
                }
                #expect(lines.filter { $0.contains("\"stream_id\":\"session-alice\"") }.allSatisfy { $0.contains("[erased]") })
                #expect(read.output.contains("bob has asthma") && read.output.contains("bob's record"), "the other subject opens")
                #expect(try await store.verify().isIntact)
                try await withSealer(store, databaseURL: databaseURL, key: sealKey) { try await waitUntilSealed(store) }
                let seals = try await store.verifySeals(with: sealKey.verifyingKey)
                #expect(seals.isIntact && seals.seals >= 2, "the seals before and after the erasure hold: \(seals.failure ?? "")")
            }
        }
    }
}
