@testable import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The tenant's rate limits over HTTP, and how a route applies them in one process
/// (docs/rate-limits.md).
@Suite("Rate limits over HTTP") struct RateLimitsAPITests {
    /// Waits until this process's `channels` read model has read every write.
    private static func caughtUp(_ api: APITest, key: String) async throws {
        let head = try await api.store.committedHead()
        #expect(try await api.send(.get, "/v1/channels?consistent_with=\(head)", key: key).status == .ok)
    }

    private static func withChannel(_ body: @escaping @Sendable (APITest, String, ManualClock) async throws -> Void) async throws {
        let time = ManualClock(Date(timeIntervalSince1970: 1_800_000_010))
        try await APITest.run(configure: { $0.clock = time.clock }) { api in
            let key = try await api.issueKey(tenant: "acme")
            #expect(try await api.send(.post, "/v1/channels", key: key, body: RateLimitsTwoProcessTests.channel("a")).status == .created)
            #expect(try await api.send(.post, "/v1/channels/a/keys", key: key, body: #"{"key_id":"k1","secret_ref":"env:K"}"#).status == .created)
            try await body(api, key, time)
        }
    }

    @Test func limits_areSetRead_listedInPages_andRemoved() async throws {
        try await Self.withChannel { api, key, _ in
            let set = try await api.send(.put, "/v1/rate-limits/model/meta%2Fllama-3", key: key, body: #"{"rpm":60,"concurrent":4}"#)
            #expect(set.status == .ok)
            #expect(set.headers[.eTag] == "\"1\"")
            #expect(try json(set)["subject"] as? String == "meta/llama-3")
            #expect(try await api.send(.put, "/v1/rate-limits/key/*", key: key, body: #"{"tpm":1000}"#).status == .ok)
            #expect(try await api.send(.put, "/v1/rate-limits/user/u1", key: key, body: #"{"rpm":5}"#).status == .ok)
            let shown = try json(try await api.send(.get, "/v1/rate-limits/model/meta%2Fllama-3", key: key))
            #expect(shown["rpm"] as? Int == 60 && shown["concurrent"] as? Int == 4 && shown["tpm"] == nil)
            let first = try json(try await api.send(.get, "/v1/rate-limits?limit=2", key: key))
            let page = try #require(first["limits"] as? [[String: Any]])
            #expect(page.map { "\($0["scope"]!)/\($0["subject"]!)" } == ["key/*", "model/meta/llama-3"])
            let next = try #require(first["next"] as? String)
            let rest = try json(try await api.send(.get, "/v1/rate-limits?limit=2&after=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", key: key))
            #expect((rest["limits"] as? [[String: Any]])?.map { $0["subject"] as? String } == ["u1"])
            #expect(rest["next"] == nil)
            #expect(try await api.send(.delete, "/v1/rate-limits/user/u1", key: key).status == .noContent)
            try expectProblem(try await api.send(.delete, "/v1/rate-limits/user/u1", key: key), .notFound)
            try expectProblem(try await api.send(.get, "/v1/rate-limits/user/u1", key: key), .notFound)
        }
    }

    @Test func badLimits_areRefusedNamingTheField_andNothingIsWritten() async throws {
        try await Self.withChannel { api, key, _ in
            for (path, body, status, field) in [
                ("model/m", #"{"rpm":0}"#, HTTPResponse.Status.badRequest, "rpm"),
                ("model/m", #"{}"#, .badRequest, "limits"),
                ("model/m", #"{"tpm":"many"}"#, .badRequest, nil),
                ("channel/a", #"{"rpm":5}"#, .notFound, nil),
            ] as [(String, String, HTTPResponse.Status, String?)] {
                let answer = try await api.send(.put, "/v1/rate-limits/\(path)", key: key, body: body)
                try expectProblem(answer, status)
                if let field {
                    #expect((try json(answer)["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body)")
                }
            }
            #expect(try json(try await api.send(.get, "/v1/rate-limits", key: key))["stream_version"] as? Int == 0)
            let reader = try await api.issueKey(tenant: "acme", roles: ["reader"])
            try expectProblem(try await api.send(.put, "/v1/rate-limits/model/m", key: reader, body: #"{"rpm":5}"#), .forbidden)
        }
    }

    @Test func aRouteUnderATokenLimit_mustNameItsTokens_withinTheLimit() async throws {
        try await Self.withChannel { api, key, _ in
            #expect(try await api.send(.put, "/v1/rate-limits/model/gpt-4o", key: key, body: #"{"tpm":1000}"#).status == .ok)
            try await Self.caughtUp(api, key: key)
            let unnamed = try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o"}"#)
            try expectProblem(unnamed, .badRequest)
            #expect(String(buffer: unnamed.body).contains("model:gpt-4o has a limit on tokens a minute"))
            let tooMany = try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","tokens":1001}"#)
            try expectProblem(tooMany, .unprocessableContent)
            #expect(tooMany.headers[.retryAfter] == nil)
            try expectProblem(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","tokens":-1}"#), .badRequest)
            #expect(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","tokens":600}"#).status == .ok)
            let over = try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","tokens":600}"#)
            try expectProblem(over, .tooManyRequests)
            #expect(over.headers[.rateLimit] == #""model-tpm";r=0;t=50"#)
            #expect(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","tokens":400}"#).status == .ok)
        }
    }

    @Test func aKeysLimits_andItsUsersLimits_countItsRoutes() async throws {
        try await Self.withChannel { api, key, _ in
            let issued = try await api.send(.post, "/v1/keys", key: key, body: #"{"name":"app","roles":["reader"],"user_id":"u7"}"#)
            let keyID = try #require(try json(issued)["id"] as? String)
            #expect(try await api.send(.put, "/v1/rate-limits/key/\(keyID)", key: key, body: #"{"rpm":2}"#).status == .ok)
            #expect(try await api.send(.put, "/v1/rate-limits/user/*", key: key, body: #"{"rpm":3}"#).status == .ok)
            try await Self.caughtUp(api, key: key)
            let byKey = #"{"model":"gpt-4o","key_id":"\#(keyID)"}"#
            #expect(try await api.send(.post, "/v1/route", key: key, body: byKey).status == .ok)
            #expect(try await api.send(.post, "/v1/route", key: key, body: byKey).status == .ok)
            let third = try await api.send(.post, "/v1/route", key: key, body: byKey)
            try expectProblem(third, .tooManyRequests)
            #expect(third.headers[.rateLimitPolicy] == #""key-rpm";q=2;w=60"#)
            // The key's user counted both; a route for the user without the key takes the third place.
            #expect(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","user_id":"u7"}"#).status == .ok)
            try expectProblem(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","user_id":"u7"}"#),
                              .tooManyRequests)
            try expectProblem(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","key_id":"\#(keyID)","user_id":"u8"}"#),
                              .badRequest)
        }
    }

    @Test func aCallsOutcome_freesThatCallsPlaces_notThoseOfTheRequestsRetryElsewhere() async throws {
        try await Self.withChannel { api, key, _ in
            let backup = #"{"id":"b","provider":"openai","base_url":"https://api.example.com/v1","models":[{"name":"gpt-4o"}],"priority":0}"#
            #expect(try await api.send(.put, "/v1/channels/a", key: key,
                                       body: RateLimitsTwoProcessTests.channel("a").replacingOccurrences(of: #""limits""#,
                                                                                                      with: #""priority":5,"limits""#)).status == .ok)
            #expect(try await api.send(.post, "/v1/channels", key: key, body: backup).status == .created)
            #expect(try await api.send(.post, "/v1/channels/b/keys", key: key, body: #"{"key_id":"k1","secret_ref":"env:K"}"#).status == .created)
            #expect(try await api.send(.put, "/v1/rate-limits/model/gpt-4o", key: key, body: #"{"concurrent":1}"#).status == .ok)
            try await Self.caughtUp(api, key: key)
            func route(_ request: String, exclude: String = "") async throws -> TestResponse {
                try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","request_id":"\#(request)"\#(exclude)}"#)
            }
            func report(_ request: String, _ channel: String) async throws -> HTTPResponse.Status {
                try await api.send(.post, "/v1/channels/outcomes", key: key, body: """
                    {"outcomes":[{"channel_id":"\(channel)","request_id":"\(request)","key_id":"k1","model":"gpt-4o","status":503,"latency_ms":10}]}
                    """).status
            }
            let first = try await route("r1")
            #expect(try (json(first)["channel"] as? [String: Any])?["channel_id"] as? String == "a")
            // The call on a still holds the model's one place: a retry elsewhere needs its own.
            try expectProblem(try await route("r1", exclude: #","exclude":["a"]"#), .tooManyRequests)
            #expect(try await report("r1", "a") == .ok)
            let retry = try await route("r1", exclude: #","exclude":["a"]"#)
            #expect(try (json(retry)["channel"] as? [String: Any])?["channel_id"] as? String == "b")
            // The call on a, reported again, frees nothing of the call on b.
            #expect(try await report("r1", "a") == .ok)
            try expectProblem(try await route("r2"), .tooManyRequests)
            #expect(try await report("r1", "b") == .ok)
            #expect(try await route("r2").status == .ok)
        }
    }

    @Test func aPlaceHeldPastItsLease_isFreed() async throws {
        try await Self.withChannel { api, key, time in
            #expect(try await api.send(.put, "/v1/rate-limits/model/gpt-4o", key: key, body: #"{"concurrent":1}"#).status == .ok)
            try await Self.caughtUp(api, key: key)
            #expect(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","lease_seconds":5}"#).status == .ok)
            try expectProblem(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o"}"#), .tooManyRequests)
            try expectProblem(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","lease_seconds":0}"#),
                              .badRequest)
            time.advance(by: 5)
            #expect(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o"}"#).status == .ok)
            try expectProblem(try await api.send(.post, "/v1/route/release", key: key, body: #"{"request_ids":[]}"#), .badRequest)
        }
    }
}
