import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Idempotent key issue") struct IdempotencyTests {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let body = #"{"tenant":"acme","name":"gateway","roles":["reader","auditor"]}"#

    /// The KeyIssued events in acme's log.
    static func issuedKeys(_ api: APITest) async throws -> [RecordedEvent] {
        try await wholeLog(api.store).filter { $0.tenant == "acme" && $0.type == "KeyIssued" }
    }

    @Test func aRetryWithTheSameKeyAndBody_getsTheFirstResponse_andAppendsNothing() async throws {
        try await APITest.run { api in
            let first = try await api.post("/v1/keys", key: adminKey, body: Self.body, headers: [Self.idempotencyKey: "order-17"])
            let retry = try await api.post("/v1/keys", key: adminKey, body: Self.body, headers: [Self.idempotencyKey: "order-17"])
            #expect(first.status == .created && retry.status == .created)
            #expect(first.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let (one, two) = (try json(first), try json(retry))
            for field in ["id", "secret", "tenant", "name", "position"] {
                #expect(one[field] as? String == two[field] as? String, "\(field)")
            }
            #expect(one["stream_version"] as? Int == 1 && two["stream_version"] as? Int == 1)
            #expect(first.headers[.eTag] == retry.headers[.eTag])
            #expect(try await Self.issuedKeys(api).count == 1)
            // The replayed secret is the real one.
            let secret = try #require(two["secret"] as? String)
            #expect(try await api.get("/v1/audit", key: secret).status == .ok)
            // Another idempotency key is another request: a second key.
            let other = try await api.post("/v1/keys", key: adminKey, body: Self.body, headers: [Self.idempotencyKey: "order-18"])
            let otherID = try json(other)["id"] as? String
            #expect(other.status == .created && otherID != nil && otherID != one["id"] as? String)
            #expect(try await Self.issuedKeys(api).count == 2)
        }
    }

    @Test func theSameKeyWithAnotherBody_is422_andAppendsNothing() async throws {
        try await APITest.run { api in
            let first = try await api.post("/v1/keys", key: adminKey, body: Self.body, headers: [Self.idempotencyKey: "k-1"])
            #expect(first.status == .created)
            let otherRoles = #"{"tenant":"acme","name":"gateway","roles":["admin"]}"#
            try expectProblem(try await api.post("/v1/keys", key: adminKey, body: otherRoles,
                                                 headers: [Self.idempotencyKey: "k-1"]), .unprocessableContent)
            let otherName = #"{"tenant":"acme","name":"batch","roles":["reader","auditor"]}"#
            try expectProblem(try await api.post("/v1/keys", key: adminKey, body: otherName,
                                                 headers: [Self.idempotencyKey: "k-1"]), .unprocessableContent)
            #expect(try await Self.issuedKeys(api).count == 1)
        }
    }

    @Test func concurrentRetries_allGetTheSameKey_andOneIsAppended() async throws {
        try await APITest.run { api in
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await api.post("/v1/keys", key: adminKey, body: Self.body, headers: [Self.idempotencyKey: "burst"])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.allSatisfy { $0.status == .created }, "\(responses.map { String(buffer: $0.body) })")
            let secrets = Set(try responses.map { try json($0)["secret"] as? String })
            #expect(secrets.count == 1)
            #expect(try await Self.issuedKeys(api).count == 1)
        }
    }

    @Test func aRetryAfterTheKeyWasRevoked_is409_notTheDeadSecret() async throws {
        try await APITest.run { api in
            let first = try await api.post("/v1/keys", key: adminKey, body: Self.body, headers: [Self.idempotencyKey: "k-9"])
            let id = try #require(try json(first)["id"] as? String)
            _ = try await CommandHandler(store: api.store, decider: Key.self)
                .handle(.revoke(now: Date()), tenant: "acme", stream: "key-\(id)")
            try expectProblem(try await api.post("/v1/keys", key: adminKey, body: Self.body,
                                                 headers: [Self.idempotencyKey: "k-9"]), .conflict)
            #expect(try await Self.issuedKeys(api).count == 1)
        }
    }

    @Test func aMalformedIdempotencyKey_is400_andAppendsNothing() async throws {
        try await APITest.run { api in
            for bad in [String(repeating: "k", count: 256), "has space", ""] {
                try expectProblem(try await api.post("/v1/keys", key: adminKey, body: Self.body,
                                                     headers: [Self.idempotencyKey: bad]), .badRequest)
            }
            #expect(try await Self.issuedKeys(api).isEmpty)
        }
    }
}
