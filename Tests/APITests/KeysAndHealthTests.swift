import API
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Keys, health and errors") struct KeysAndHealthTests {
    @Test func health_andReadiness_answerWithoutAKey() async throws {
        try await APITest.run { api in
            #expect(try await api.get("/healthz").status == .ok)
            let ready = try await api.get("/readyz")
            let status = try json(ready)["status"] as? String
            #expect(ready.status == .ok && status == "ready")
        }
    }

    @Test func unknownRoute_isAProblem404() async throws {
        try await APITest.run { api in
            try expectProblem(try await api.get("/v2/nothing", key: adminKey), .notFound)
        }
    }

    @Test func noKey_or_anUnknownKey_is401() async throws {
        try await APITest.run { api in
            try expectProblem(try await api.get("/v1/events"), .unauthorized)
            try expectProblem(try await api.get("/v1/events", key: "elk_nope_nope"), .unauthorized)
        }
    }

    @Test func issuedKey_worksAtOnce_forItsTenant_andItsSecretIsShownOnce() async throws {
        try await APITest.run { api in
            let response = try await api.post("/v1/keys", key: adminKey,
                                              body: #"{"tenant":"acme","name":"gateway","roles":["reader"]}"#)
            #expect(response.status == .created)
            let body = try json(response)
            #expect(body["tenant"] as? String == "acme" && body["roles"] as? [String] == ["reader"])
            #expect(response.headers[.eTag] == "\"1\"")
            let secret = try #require(body["secret"] as? String)
            #expect(try await api.get("/v1/events", key: secret).status == .ok)
            // The log keeps only the secret's hash.
            let log = try await wholeLog(api.store)
            #expect(!log.contains { $0.data.contains(secret) || $0.metadata.contains(secret) })
            // A reader cannot issue keys.
            try expectProblem(try await api.post("/v1/keys", key: secret, body: #"{"name":"x","roles":["reader"]}"#),
                              .forbidden)
        }
    }

    @Test func tenantAdmin_cannotIssueKeysForAnotherTenant() async throws {
        try await APITest.run { api in
            let acmeAdmin = try await api.issueKey(tenant: "acme", roles: ["admin"])
            try expectProblem(try await api.post("/v1/keys", key: acmeAdmin,
                                                 body: #"{"tenant":"globex","name":"x","roles":["reader"]}"#), .forbidden)
            let own = try await api.post("/v1/keys", key: acmeAdmin, body: #"{"name":"x","roles":["reader"]}"#)
            let tenant = try json(own)["tenant"] as? String
            #expect(own.status == .created && tenant == "acme")
        }
    }
}
