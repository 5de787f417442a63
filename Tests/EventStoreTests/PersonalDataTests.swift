import Domain
@testable import EventStore
import EventStoreTesting
import Foundation
import Logging
import PostgresNIO
import Testing

/// Personal fields sealed with their subject's key on the way in, revealed on the way out,
/// and unreadable once the key is destroyed (real PostgreSQL: the keys live in `subject_keys`).
@Suite struct PersonalDataTests {
    static let logger = Logger(label: "personal-data-test")
    static let at = Date(timeIntervalSince1970: 1_800_000_000)

    static func message(_ content: String, quote: String) throws -> NewEvent {
        let citation = Citation(documentID: "d1", chunkID: "c1", quote: quote)
        let message = ChatMessage(messageID: "m1", parentID: nil, role: .user, content: content, citations: [citation])
        return try NewEvent(SessionEvent.messageAppended(sessionID: "s1", message, at: at),
                            metadata: EventMetadata(actor: "key-1", clientIp: "203.0.113.7", userAgent: "curl/8", dataSubject: "u1"))
    }

    /// The recorded form of `event` as the log would return it.
    static func recorded(_ event: NewEvent, tenant: String) -> RecordedEvent {
        RecordedEvent(id: event.id, tenant: tenant, stream: "session-s1", category: "session", streamVersion: 1,
                      type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata.json,
                      recordedAtMicros: 0, cursor: Cursor(transaction: 1, position: 1), hash: [])
    }

    @Test func personalFieldsAreSealedForTheirSubject_andRevealedToItsPlaintext() async throws {
        try await TestDatabase.withStore { base in
            let store = EventStore(client: base.client, logger: Self.logger, keyring: SubjectKeyring(master: try MasterKey(base64: MasterKey.generateText())))
            let event = try Self.message("Alice's diagnosis", quote: "blood type 0+")
            let sealed = try #require(try await store.sealPersonalData([event], tenant: "acme").first)
            for secret in ["Alice", "blood type", "203.0.113.7", "curl/8"] {
                #expect(!sealed.data.contains(secret) && !sealed.metadata.json.contains(secret), "\(secret) in clear")
            }
            #expect(sealed.data.contains("\"sessionId\":\"s1\""), "what is not personal stays in clear: \(sealed.data)")
            #expect(try await store.sealPersonalData([event], tenant: "acme") == [sealed], "a retried append stores the same bytes")

            let revealed = try #require(try await store.revealPersonalData([Self.recorded(sealed, tenant: "acme")]).first)
            let decoded = try revealed.decode(as: SessionEvent.self)
            guard case .messageAppended(_, let message, _) = decoded else { Issue.record("\(decoded)"); return }
            #expect(message.content == "Alice's diagnosis" && message.citations.first?.quote == "blood type 0+")
            #expect(revealed.metadata.contains("203.0.113.7") && revealed.metadata.contains("curl/8"))

            let unrelated = try NewEvent(SessionEvent.archived(sessionID: "s1", at: Self.at), metadata: EventMetadata(clientIp: "198.51.100.1"))
            #expect(try await store.sealPersonalData([unrelated], tenant: "acme") == [unrelated], "no subject: nothing sealed")
        }
    }

    @Test func onceTheKeyIsDestroyed_theFieldsReadAsErased_andNothingMoreIsWrittenForTheSubject() async throws {
        try await TestDatabase.withStore { base in
            let keyring = SubjectKeyring(master: try MasterKey(base64: MasterKey.generateText()))
            let store = EventStore(client: base.client, logger: Self.logger, keyring: keyring)
            let sealed = try await store.sealPersonalData([try Self.message("secret", quote: "q")], tenant: "acme")
            let other = try await store.sealPersonalData([try Self.message("kept", quote: "q")], tenant: "other")
            try await base.client.query("""
                UPDATE subject_keys SET wrapped_key = NULL, erased_at = now() WHERE tenant_id = 'acme' AND subject_id = 'u1'
                """, logger: Self.logger)
            keyring.forget(tenant: "acme", subject: "u1")

            let erased = try #require(try await store.revealPersonalData(sealed.map { Self.recorded($0, tenant: "acme") }).first)
            guard case .messageAppended(_, let message, _) = try erased.decode(as: SessionEvent.self) else { Issue.record("decode"); return }
            #expect(message.content == FieldCipher.erased && message.citations.first?.quote == FieldCipher.erased)
            #expect(!erased.metadata.contains("203.0.113.7"))
            await #expect(throws: EventStoreError.self) { try await store.sealPersonalData([try Self.message("more", quote: "q")], tenant: "acme") }

            let kept = try #require(try await store.revealPersonalData(other.map { Self.recorded($0, tenant: "other") }).first)
            #expect(kept.data.contains("kept"), "the same subject id in another tenant is another subject")
        }
    }

    @Test func aKeyWrappedByAnotherMasterKey_isRefusedNamingIt_unlessThatKeyIsStillAccepted() async throws {
        try await TestDatabase.withStore { base in
            let old = try MasterKey(base64: MasterKey.generateText())
            let new = try MasterKey(base64: MasterKey.generateText())
            let writer = EventStore(client: base.client, logger: Self.logger, keyring: SubjectKeyring(master: old))
            let sealed = try await writer.sealPersonalData([try Self.message("secret", quote: "q")], tenant: "acme")
            let recorded = sealed.map { Self.recorded($0, tenant: "acme") }

            let stranger = EventStore(client: base.client, logger: Self.logger, keyring: SubjectKeyring(master: new))
            let error = await #expect(throws: EventStoreError.self) { try await stranger.revealPersonalData(recorded) }
            #expect(error?.message.contains(old.id) == true && error?.code == .internalError)

            let rotating = EventStore(client: base.client, logger: Self.logger, keyring: SubjectKeyring(master: new, previous: [old]))
            #expect(try await rotating.revealPersonalData(recorded).first?.data.contains("secret") == true)

            let keyless = EventStore(client: base.client, logger: Self.logger)
            #expect(try await keyless.revealPersonalData(recorded) == recorded, "no master key: the stored, sealed form")
            await #expect(throws: EventStoreError.self) { try await keyless.sealPersonalData([try Self.message("x", quote: "q")], tenant: "acme") }
        }
    }

    @Test func rotatingTheMasterKey_wrapsEveryKeyAgain_andEveryEventStillReads_withTheNewKeyAlone() async throws {
        try await TestDatabase.withStore { base in
            let old = try MasterKey(base64: MasterKey.generateText())
            let new = try MasterKey(base64: MasterKey.generateText())
            let writer = EventStore(client: base.client, logger: Self.logger, keyring: SubjectKeyring(master: old))
            var recorded: [RecordedEvent] = []
            for tenant in ["acme", "other"] {
                let sealed = try await writer.sealPersonalData([try Self.message("secret of \(tenant)", quote: "q")], tenant: tenant)
                recorded += sealed.map { Self.recorded($0, tenant: tenant) }
            }

            let missing = EventStore(client: base.client, logger: Self.logger, keyring: SubjectKeyring(master: new))
            let refused = await #expect(throws: EventStoreError.self) { try await missing.rotateMasterKey() }
            #expect(refused?.message.contains(old.id) == true, "names the key it lacks: \(refused?.message ?? "")")
            await #expect(throws: EventStoreError.self, "nothing was re-wrapped") { try await missing.checkMasterKeys() }

            let rotating = EventStore(client: base.client, logger: Self.logger, keyring: SubjectKeyring(master: new, previous: [old]))
            #expect(try await rotating.rotateMasterKey() == 2)
            #expect(try await rotating.rotateMasterKey() == 0, "a second run has nothing left to do")

            let rotated = EventStore(client: base.client, logger: Self.logger, keyring: SubjectKeyring(master: new))
            try await rotated.checkMasterKeys()
            let revealed = try await rotated.revealPersonalData(recorded)
            #expect(revealed.map { $0.data.contains("secret of \($0.tenant)") } == [true, true], "\(revealed.map(\.data))")
            let former = EventStore(client: base.client, logger: Self.logger, keyring: SubjectKeyring(master: old))
            await #expect(throws: EventStoreError.self, "the old key alone opens nothing now") { try await former.checkMasterKeys() }
        }
    }
}
