@testable import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Channels over HTTP") struct ChannelsAPITests {
    static func channelBody(_ id: String, priority: Int = 0, weight: Int = 1, probes: Int = 2, extra: String = "") -> String {
        #"{"id":"\#(id)","provider":"openai","base_url":"https://api.example.com/v1","models":[{"name":"gpt-4o","upstream_name":"gpt-4o-2024-08-06"},{"name":"mini"}],"#
            + #""priority":\#(priority),"weight":\#(weight),"breaker":{"minimum_calls":4,"failure_rate":0.5,"cooldown_ms":30000,"probes":\#(probes)}\#(extra)}"#
    }

    /// Creates channel `id` with key k1 (a sealed secret) and returns the position of the last write.
    @discardableResult
    static func createChannel(_ api: APITest, key: String, _ id: String, priority: Int = 0, probes: Int = 2) async throws -> String {
        let created = try await api.send(.post, "/v1/channels", key: key, body: channelBody(id, priority: priority, probes: probes))
        try #require(created.status == .created, "\(String(buffer: created.body))")
        let added = try await api.send(.post, "/v1/channels/\(id)/keys", key: key, body: #"{"key_id":"k1","secret":"sk-\#(id)-secret"}"#)
        try #require(added.status == .created, "\(String(buffer: added.body))")
        return try #require(added.headers[.eventloomPosition])
    }

    static func failures(_ channel: String, _ count: Int, from first: Int = 1, status: Int = 503) -> String {
        let outcomes = (first..<first + count).map {
            #"{"channel_id":"\#(channel)","request_id":"\#(channel)-r\#($0)","key_id":"k1","model":"gpt-4o","status":\#(status),"latency_ms":900}"#
        }
        return #"{"outcomes":[\#(outcomes.joined(separator: ","))]}"#
    }

    static func route(_ api: APITest, key: String, _ extra: String = "") async throws -> TestResponse {
        try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o"\#(extra)}"#)
    }

    @Test func figures_countTheCostOfCallsReportedWithTheirUsage_atTheChannelsPriceElseThePriceBooks() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            let costs = #","costs":{"gpt-4o":{"input_per_1k":"0.0025","output_per_1k":"0.01","cached_per_1k":"0.00125"}}"#
            #expect(try await api.send(.post, "/v1/channels", key: key, body: Self.channelBody("c1", extra: costs)).status == .created)
            #expect(try await api.send(.post, "/v1/channels/c1/keys", key: key, body: #"{"key_id":"k1","secret_ref":"env:K"}"#).status == .created)
            #expect(try await api.send(.put, "/v1/models/mini/price", key: key,
                                       body: #"{"input_per_1k":"0.001","output_per_1k":"0.002"}"#).status == .ok)
            func call(_ id: String, _ model: String, _ usage: String?) -> String {
                #"{"channel_id":"c1","request_id":"\#(id)","key_id":"k1","model":"\#(model)","status":200,"latency_ms":100"#
                    + (usage.map { #","usage":\#($0)"# } ?? "") + "}"
            }
            let report = [
                // 200 uncached prompt tokens at 0.0025, 1,000 cached at 0.00125, 300 completion at 0.01: $0.00475.
                call("r1", "gpt-4o", #"{"prompt_tokens":1200,"completion_tokens":300,"cached_tokens":1000}"#),
                // Priced by the price book: 1,000 at 0.001 and 500 at 0.002: $0.002.
                call("r2", "mini", #"{"prompt_tokens":1000,"completion_tokens":500}"#),
                call("r3", "gpt-4o", nil),
            ]
            let reported = try await api.send(.post, "/v1/channels/outcomes", key: key, body: #"{"outcomes":[\#(report.joined(separator: ","))]}"#)
            #expect(reported.status == .ok, "\(String(buffer: reported.body))")
            let position = try #require(try json(reported)["position"] as? String)
            let channel = try json(try await api.send(.get, "/v1/channels/c1?consistent_with=\(position)", key: key))
            let figures = try #require(channel["figures"] as? [String: Any])
            #expect(figures["cost_usd"] as? String == "0.00675")
            #expect(figures["uncosted_calls"] as? Int == 1)
            #expect(figures["tokens"] as? Int == 3_000)
            let bad = call("r4", "gpt-4o", #"{"prompt_tokens":10,"completion_tokens":1,"cached_tokens":11}"#)
            try expectProblem(try await api.send(.post, "/v1/channels/outcomes", key: key, body: #"{"outcomes":[\#(bad)]}"#), .badRequest)
        }
    }

    @Test func create_refusesBadSpecsNamingTheField_andWritesNothing_thenReadsWithoutSecrets() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            let bad: [(String, String)] = [
                (Self.channelBody("c1", weight: 0), "weight"),
                (Self.channelBody("c1").replacingOccurrences(of: "https://api.example.com/v1", with: "ftp://api.example.com"), "base_url"),
                (Self.channelBody("c1").replacingOccurrences(of: "\"failure_rate\":0.5", with: "\"failure_rate\":1.5"),
                 "breaker.failure_rate"),
                (Self.channelBody("c1", extra: #","costs":{"unknown-model":{"input_per_1k":"0.001","output_per_1k":"0.002"}}"#), "costs"),
                (Self.channelBody("c 1"), "id"),
            ]
            for (body, field) in bad {
                let refused = try await api.send(.post, "/v1/channels", key: key, body: body)
                try expectProblem(refused, .badRequest)
                #expect((try json(refused)["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body)")
            }
            #expect(try await api.store.count(tenant: "acme", stream: "channel-c1") == 0)

            let position = try await Self.createChannel(api, key: key, "c1")
            let again = try await api.send(.post, "/v1/channels", key: key, body: Self.channelBody("c1"))
            #expect(again.status == .ok && again.headers[.eventloomPosition] == nil)
            try expectProblem(try await api.send(.post, "/v1/channels", key: key, body: Self.channelBody("c1", weight: 5)), .conflict)
            let shown = try await api.get("/v1/channels/c1?consistent_with=\(position)", key: key)
            #expect(shown.status == .ok)
            let view = try json(shown)
            #expect(view["status"] as? String == "enabled")
            #expect((view["keys"] as? [[String: Any]])?.first?["secret_kind"] as? String == "sealed")
            #expect(!String(buffer: shown.body).contains("sk-c1-secret"))
            let stored = try await api.store.readStream(tenant: "acme", stream: "channel-c1")
            #expect(!stored.contains { $0.data.contains("sk-c1-secret") })
            #expect(stored.map(\.type) == ["ChannelCreated", "ChannelKeyAdded"])
            let reAdded = try await api.send(.post, "/v1/channels/c1/keys", key: key, body: #"{"key_id":"k1","secret":"sk-c1-secret"}"#)
            #expect(reAdded.status == .ok)
            try expectProblem(try await api.send(.post, "/v1/channels/c1/keys", key: key, body: #"{"key_id":"k1","secret":"other"}"#),
                              .conflict)
            try expectProblem(try await api.send(.post, "/v1/channels/nope/enable", key: key), .notFound)
            // If-Match: a write on a stale version is refused, and nothing is written.
            let version = try #require(reAdded.headers[.eTag])
            let stale = try await api.send(.post, "/v1/channels/c1/disable", key: key, body: #"{"reason":"maintenance"}"#,
                                           headers: [.ifMatch: "\"1\""])
            try expectProblem(stale, .preconditionFailed)
            let current = try await api.send(.post, "/v1/channels/c1/disable", key: key, body: #"{"reason":"maintenance"}"#,
                                             headers: [.ifMatch: version])
            #expect(current.status == .ok && current.headers[.eTag] == "\"3\"")
        }
    }

    @Test func aKeyActingForAUser_mayNeitherRouteNorReportNorRead() async throws {
        try await APITest.run { api in
            let admin = try await api.issueKey(tenant: "acme")
            try await Self.createChannel(api, key: admin, "c1")
            let user = try await api.userKey(admin: admin, user: "u1")
            try expectProblem(try await Self.route(api, key: user), .forbidden)
            try expectProblem(try await api.send(.post, "/v1/channels/outcomes", key: user, body: Self.failures("c1", 4)), .forbidden)
            try expectProblem(try await api.get("/v1/channels/c1", key: user), .forbidden)
            #expect(try await api.store.count(tenant: "acme", stream: "channel-c1") == 2)
        }
    }

    @Test func aFailingChannel_isNotRouted_thenRecoversThroughItsProbes_withNoManualStep() async throws {
        let time = ManualClock()
        try await APITest.run(configure: { $0.clock = time.clock }) { api in
            let key = try await api.issueKey(tenant: "acme")
            try await Self.createChannel(api, key: key, "primary", priority: 10, probes: 1)
            let position = try await Self.createChannel(api, key: key, "backup", priority: 0)
            _ = try await api.get("/v1/channels?consistent_with=\(position)", key: key)
            let first = try json(try await Self.route(api, key: key))
            #expect((first["channel"] as? [String: Any])?["channel_id"] as? String == "primary")
            #expect(((first["channel"] as? [String: Any])?["key"] as? [String: Any])?["secret"] as? String == "sk-primary-secret")
            #expect(((first["fallbacks"] as? [[String: Any]])?.first)?["channel_id"] as? String == "backup")
            #expect((first["channel"] as? [String: Any])?["upstream_model"] as? String == "gpt-4o-2024-08-06")
            let bare = try json(try await Self.route(api, key: key, #","fallbacks":0"#))
            #expect((bare["fallbacks"] as? [[String: Any]])?.isEmpty == true)
            try expectProblem(try await Self.route(api, key: key, #","fallbacks":11"#), .badRequest)

            let report = try await api.send(.post, "/v1/channels/outcomes", key: key, body: Self.failures("primary", 4))
            #expect(report.status == .ok, "\(String(buffer: report.body))")
            let reported = try json(report)
            #expect(reported["recorded"] as? Int == 4)
            #expect((reported["transitions"] as? [[String: Any]])?.first?["type"] as? String == "ChannelTripped")
            let again = try json(try await api.send(.post, "/v1/channels/outcomes", key: key, body: Self.failures("primary", 4)))
            #expect(again["recorded"] as? Int == 0 && again["skipped"] as? Int == 4)
            let tripped = try #require(reported["position"] as? String)
            let open = try json(try await api.get("/v1/channels/primary?consistent_with=\(tripped)", key: key))
            #expect((open["breaker"] as? [String: Any])?["phase"] as? String == "open")
            #expect((open["last_error"] as? [String: Any])?["status"] as? Int == 503)

            let avoided = try json(try await Self.route(api, key: key))
            #expect((avoided["channel"] as? [String: Any])?["channel_id"] as? String == "backup")
            #expect((avoided["fallbacks"] as? [[String: Any]])?.isEmpty == true)
            let none = try await Self.route(api, key: key, #","exclude":["backup"]"#)
            try expectProblem(none, .serviceUnavailable)
            #expect(none.headers[.retryAfter] == "30")

            time.advance(by: 30)
            let probe = try json(try await Self.route(api, key: key, #","request_id":"probe-1""#))
            #expect((probe["channel"] as? [String: Any])?["channel_id"] as? String == "primary")
            #expect(probe["probe"] as? Bool == true)
            let busy = try json(try await Self.route(api, key: key, #","request_id":"probe-2""#))
            #expect((busy["channel"] as? [String: Any])?["channel_id"] as? String == "backup")

            let success = #"{"outcomes":[{"channel_id":"primary","request_id":"probe-1","key_id":"k1","model":"gpt-4o","status":200,"latency_ms":300}]}"#
            let recovered = try json(try await api.send(.post, "/v1/channels/outcomes", key: key, body: success))
            #expect((recovered["transitions"] as? [[String: Any]])?.first?["type"] as? String == "ChannelRecovered")
            let closed = try #require(recovered["position"] as? String)
            let shown = try json(try await api.get("/v1/channels/primary?consistent_with=\(closed)", key: key))
            #expect((shown["breaker"] as? [String: Any])?["phase"] as? String == "closed")
            let served = try json(try await Self.route(api, key: key))
            #expect((served["channel"] as? [String: Any])?["channel_id"] as? String == "primary" && served["probe"] as? Bool == false)
        }
    }

    @Test func badReports_areRefusedNamingTheOutcome_andNothingIsWritten() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            try await Self.createChannel(api, key: key, "c1")
            let good = #"{"channel_id":"c1","request_id":"a","key_id":"k1","model":"gpt-4o","status":200,"latency_ms":10}"#
            let bad: [(String, String)] = [
                (#"{"channel_id":"nope","request_id":"b","key_id":"k1","model":"gpt-4o","status":200,"latency_ms":10}"#,
                 "outcomes[1].channel_id"),
                (#"{"channel_id":"c1","request_id":"b","key_id":"k9","model":"gpt-4o","status":200,"latency_ms":10}"#,
                 "outcomes[1].key_id"),
                (#"{"channel_id":"c1","request_id":"b","key_id":"k1","model":"gpt-4o","status":999,"latency_ms":10}"#,
                 "outcomes[1].status"),
                (#"{"channel_id":"c1","request_id":"b","key_id":"k1","model":"gpt-4o","status":200,"latency_ms":-1}"#,
                 "outcomes[1].latency_ms"),
                (#"{"channel_id":"c1","request_id":"b","key_id":"k1","model":"gpt-4o","status":200,"latency_ms":1,"at":"2001-01-01T00:00:00Z"}"#,
                 "outcomes[1].at"),
            ]
            for (outcome, field) in bad {
                let refused = try await api.send(.post, "/v1/channels/outcomes", key: key, body: #"{"outcomes":[\#(good),\#(outcome)]}"#)
                try expectProblem(refused, .badRequest)
                #expect((try json(refused)["errors"] as? [[String: Any]])?.first?["field"] as? String == field)
            }
            let tooMany = Self.failures("c1", 1_001)
            let big = try await api.send(.post, "/v1/channels/outcomes", key: key, body: tooMany)
            #expect(big.status == .badRequest || big.status == .contentTooLarge)
            #expect(try await api.store.count(tenant: "acme", stream: "channel-c1") == 2)
        }
    }

    @Test func aKeyMayRouteOnlyTheModelsItIsAllowed() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            let position = try await Self.createChannel(api, key: key, "c1")
            #expect(try await api.get("/v1/channels?consistent_with=\(position)", key: key).status == .ok)
            let issued = try await api.post("/v1/keys", key: key, body: #"{"name":"app","roles":["operator"],"allowed_models":["mini"]}"#)
            let appKeyID = try #require(try json(issued)["id"] as? String, "\(String(buffer: issued.body))")
            try expectProblem(try await Self.route(api, key: key, #","key_id":"\#(appKeyID)""#), .forbidden)
            try expectProblem(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","strategy":"fastest"}"#),
                              .badRequest)
            let unknown = try await api.send(.post, "/v1/route", key: key, body: #"{"model":"no-such-model"}"#)
            try expectProblem(unknown, .unprocessableContent)
            #expect((try json(unknown)["errors"] as? [[String: Any]])?.first?["field"] as? String == "model")
            let otherGroup = try await api.send(.post, "/v1/route", key: key, body: #"{"model":"gpt-4o","group":"vip"}"#)
            #expect(otherGroup.status == .ok, "a channel naming no group serves every group")
            let beyond = try await api.get("/v1/channels?consistent_with=999999999-0", key: key)
            try expectProblem(beyond, .badRequest)
        }
    }
}
