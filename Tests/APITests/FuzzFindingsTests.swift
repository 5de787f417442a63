@testable import API
import EventStore
import EventStoreTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Regressions for what schemathesis found (scripts/fuzz-api): each was a 500, a silent
/// default or a wrong status before.
@Suite("Fuzzer findings") struct FuzzFindingsTests {
    @Test(arguments: ["/v1/audit?actor=a%00b", "/v1/audit?action=%00", "/v1/audit?resource=x%01", "/v1/audit?category=%7F",
                      "/v1/audit/export?actor=a%00", "/v1/sessions?owner=a%00b", "/v1/sessions?tag=%00",
                      "/v1/sessions/search?q=a%00b", "/v1/sessions/search?q=a&owner=%00", "/v1/events?type=%00"])
    func aControlCharacterInATextFilter_is400NamingIt(uri: String) async throws {
        try await APITest.run(sessions: true) { api in
            let response = try await api.get(uri, key: adminKey)
            try expectProblem(response, .badRequest)
            let field = String(uri.split(separator: "?")[1].split(separator: "&").last!.split(separator: "=")[0])
            let errors = try #require(try json(response)["errors"] as? [[String: String]])
            #expect(errors.first?["field"] == field, "\(String(buffer: response.body))")
        }
    }

    @Test func pathParameters_arePercentDecoded_andControlCharactersRefused() async throws {
        try await APITest.run(sessions: true) { api in
            let sessions = SessionsClient(api: api, key: adminKey)
            try await sessions.start("ses_probe")
            let written = try await sessions.append("ses_probe", "msg_a", "hello")
            let shown = try await sessions.get("/v1/sessions/ses%5Fprobe", at: written)
            #expect(shown.status == .ok, "\(String(buffer: shown.body))")
            #expect(try json(shown)["id"] as? String == "ses_probe")
            let edited = try await api.send(.post, "/v1/sessions/ses_probe/messages/msg%5Fa/edits", key: adminKey,
                                            body: #"{"content":"hi"}"#)
            #expect(edited.status == .created, "\(String(buffer: edited.body))")
            try expectProblem(try await api.get("/v1/sessions/ses%00probe", key: adminKey), .badRequest)
            try expectProblem(try await api.get("/v1/sessions/ses%ZZ", key: adminKey), .badRequest)
        }
    }

    @Test func aBodyThatBreaksARule_is400_evenWithAStaleIfMatch() async throws {
        try await APITest.run(sessions: true) { api in
            let sessions = SessionsClient(api: api, key: adminKey)
            try await sessions.start("ses_stale")
            let before = try await api.store.count(tenant: "system")
            let longTag = String(repeating: "t", count: 51)
            let invalid = try await api.send(.patch, "/v1/sessions/ses_stale", key: adminKey,
                                             body: #"{"tags":["\#(longTag)"]}"#, headers: [.ifMatch: "\"9\""])
            try expectProblem(invalid, .badRequest)
            let valid = try await api.send(.patch, "/v1/sessions/ses_stale", key: adminKey,
                                           body: #"{"tags":["short"]}"#, headers: [.ifMatch: "\"9\""])
            try expectProblem(valid, .preconditionFailed)
            #expect(try await api.store.count(tenant: "system") == before)
        }
    }

    @Test func editingAMessageTheSessionLacks_is404() async throws {
        try await APITest.run(sessions: true) { api in
            let sessions = SessionsClient(api: api, key: adminKey)
            try await sessions.start("ses_edit")
            let before = try await api.store.count(tenant: "system")
            let response = try await api.send(.post, "/v1/sessions/ses_edit/messages/nope/edits", key: adminKey,
                                              body: #"{"content":"x"}"#)
            try expectProblem(response, .notFound)
            #expect(try await api.store.count(tenant: "system") == before)
        }
    }

    @Test(arguments: [
        (#"{"outcome":"upstream_error","usage":{"prompt_tokens":1,"completion_tokens":45963659839065319240892416}}"#,
         "usage.completion_tokens"),
        (#"{"outcome":"upstream_error","usage":{"prompt_tokens":1.5,"completion_tokens":1}}"#, "usage.prompt_tokens"),
        (#"{"outcome":"upstream_error","usage":{"prompt_tokens":"one","completion_tokens":1}}"#, "usage.prompt_tokens"),
    ])
    func aNumberItsFieldCannotHold_isNamedTheAPIsWay(body: String, field: String) async throws {
        try await APITest.run(quotas: true) { api in
            let response = try await api.post("/v1/reservations/res_x/settle", key: adminKey, body: body)
            try expectProblem(response, .badRequest)
            let errors = try #require(try json(response)["errors"] as? [[String: String]])
            #expect(errors.first?["field"] == field, "\(String(buffer: response.body))")
        }
    }

    @Test func aMalformedIdempotencyKey_is400_evenOnAReplay() async throws {
        try await APITest.run(sessions: true) { api in
            let sessions = SessionsClient(api: api, key: adminKey)
            try await sessions.start("ses_replay")
            let body = #"{"session_id":"ses_replay","owner":"u1","title":"Trip planning","config":{"model":"gpt-4o","temperature":0.5,"system_prompt":"Be brief."},"tags":["travel"]}"#
            let replay = try await api.send(.post, "/v1/sessions", key: adminKey, body: body)
            #expect(replay.status == .ok, "\(String(buffer: replay.body))")
            for bad in [String(repeating: "a", count: 300), "a b", ""] {
                let response = try await api.send(.post, "/v1/sessions", key: adminKey, body: body,
                                                  headers: [.idempotencyKey: bad])
                try expectProblem(response, .badRequest)
            }
        }
    }

    @Test func consistentWith_isCheckedInTheQueryAndTheHeader() async throws {
        try await APITest.run { api in
            let position = try await api.append(tenant: "system", stream: "lock-1")
            try expectProblem(try await api.get("/v1/events?consistent_with=garbage", key: adminKey,
                                                headers: [.eventloomConsistentWith: position.description]), .badRequest)
            try expectProblem(try await api.get("/v1/events?consistent_with=0-0", key: adminKey,
                                                headers: [.eventloomConsistentWith: position.description]), .badRequest)
            let same = try await api.get("/v1/events?consistent_with=\(position)", key: adminKey,
                                         headers: [.eventloomConsistentWith: position.description])
            #expect(same.status == .ok, "\(String(buffer: same.body))")
        }
    }

    @Test func aKnownPathWithAnotherMethod_is405WithAllow() async throws {
        try await APITest.run(sessions: true) { api in
            let keys = try await api.send(.get, "/v1/keys", key: adminKey)
            try expectProblem(keys, .methodNotAllowed)
            #expect(keys.headers[.allow] == "POST")
            let search = try await api.send(.post, "/v1/sessions/search", key: adminKey, body: "{}")
            try expectProblem(search, .methodNotAllowed)
            #expect(search.headers[.allow] == "GET")
            let session = try await api.send(.put, "/v1/sessions/ses_x", key: adminKey, body: "{}")
            #expect(session.headers[.allow] == "DELETE, GET, PATCH")
            try expectProblem(try await api.send(.get, "/v1/nothing-here", key: adminKey), .notFound)
            try expectProblem(try await api.get("/v1/sessions/ses_missing", key: adminKey), .notFound)
        }
    }
}

@Suite("JSON number locator") struct JSONNumberLocatorTests {
    struct Body: Decodable {
        struct Item: Decodable { let count: Int64; let ratio: Double }
        let items: [Item]
        let name: String
    }

    @Test func findsTheNumberItsFieldCannotHold_notTheFractionsOthersTake() throws {
        let text = #"{"name":"x","items":[{"count":1,"ratio":0.5},{"count":2.5,"ratio":1e3}]}"#
        #expect(throws: DecodingError.self) { try JSONCoding.decoder.decode(Body.self, from: Data(text.utf8)) }
        #expect(JSONNumberLocator.field(Body.self, in: Data(text.utf8), decoder: JSONCoding.decoder) == "items[1].count")
    }

    @Test func namesNothingWhenNoNumberIsTheCause() {
        let text = #"{"name":"x","items":[{"count":1,"ratio":0.5}"#
        #expect(JSONNumberLocator.field(Body.self, in: Data(text.utf8), decoder: JSONCoding.decoder) == nil)
    }
}
