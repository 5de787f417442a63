@testable import API
import EventStore
import EventStoreTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Personal data written through the API: sealed in the log (and so in what the relay
/// publishes), plaintext to the tenant's readers.
@Suite struct PersonalDataAPITests {
    @Test func sessionContent_isSealedInTheLog_andPlaintextThroughEveryReadRoute() async throws {
        try await APITest.run(sessions: true) { api in
            let client = SessionsClient(api: api, key: try await api.issueKey(tenant: "acme"))
            try await client.start("s1", owner: "u-alice", title: "Alice medical notes")
            let position = try await client.append("s1", "m1", "my blood type is 0+")

            // The log as stored: no plaintext of the subject, whose id is in the metadata.
            let stored = try await api.store.readStream(tenant: "acme", stream: "session-s1")
            #expect(stored.map(\.type) == ["SessionStarted", "SessionTagged", "MessageAppended"])
            for event in stored {
                for secret in ["Alice medical", "blood type", "Be brief", "travel"] {
                    #expect(!event.data.contains(secret), "\(secret) in clear in \(event.type): \(event.data)")
                }
                #expect(event.metadata.contains("\"dataSubject\": \"u-alice\""), "\(event.metadata)")
                #expect(event.metadata.contains("\"clientIp\": \"eld1:") && !event.metadata.contains("127.0.0.1"), "\(event.metadata)")
            }
            #expect(stored.last?.data.contains("\"messageId\": \"m1\"") == true, "ids stay in clear: \(stored.last?.data ?? "")")

            // Every read route shows the plaintext.
            let log = String(buffer: try await client.get("/v1/events?limit=10", at: position).body)
            #expect(log.contains("my blood type is 0+") && log.contains("Alice medical notes"))
            let streamEvents = String(buffer: try await client.get("/v1/streams/session-s1/events").body)
            #expect(streamEvents.contains("my blood type is 0+"))
            let messages = String(buffer: try await client.get("/v1/sessions/s1/messages", at: position).body)
            #expect(messages.contains("my blood type is 0+"), "the read model holds the plaintext: \(messages)")
            // The audit read model keeps the request's origin sealed; its route reveals it.
            let audit = try json(try await client.get("/v1/audit?resource=session-s1", at: position))
            let entries = try #require(audit["entries"] as? [[String: Any]])
            #expect(entries.count == 3 && entries.allSatisfy { $0["client_ip"] as? String == "127.0.0.1" }, "\(entries)")

            // The write path folds the plaintext: the same start again is a no-op (200), not a conflict.
            let again = try await api.send(.post, "/v1/sessions", key: client.key, body: """
                {"session_id":"s1","owner":"u-alice","title":"Alice medical notes","config":{"model":"gpt-4o","temperature":0.5,"system_prompt":"Be brief."},"tags":["travel"]}
                """)
            #expect(again.status == .ok && String(buffer: again.body).contains("Alice medical notes"), "\(String(buffer: again.body))")
        }
    }
}
