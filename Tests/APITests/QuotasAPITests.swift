@testable import API
import EventStore
import EventStoreTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Domain
import Quotas
import Testing

@Suite struct QuotasAPITests {
    static let priceBody = #"{"input_per_1k":"0.001","output_per_1k":"0.002"}"#

    /// A tenant with a price for m1 and m0 and a daily budget of `tokens` tokens.
    static func setUp(_ api: APITest, tokens: Int = 1_000, overflow: String = #"{"strategy":"reject"}"#) async throws -> String {
        let key = try await api.issueKey(tenant: "acme")
        for model in ["m1", "m0"] {
            let price = try await api.send(.put, "/v1/models/\(model)/price", key: key, body: priceBody)
            try #require(price.status == .ok, "\(String(buffer: price.body))")
        }
        let budget = try await api.send(.post, "/v1/budgets", key: key, body: """
            {"id":"team","name":"Team","scope":{"kind":"department","id":"team"},"limit":{"tokens":\(tokens)},
             "period":"day","time_zone":"Europe/Berlin","thresholds":[50],"overflow":\(overflow)}
            """)
        try #require(budget.status == .created, "\(String(buffer: budget.body))")
        return key
    }

    static func reserve(_ api: APITest, _ key: String, _ requestID: String, prompt: Int = 100, completion: Int = 100,
                        keyID: String? = nil) async throws -> TestResponse {
        let keyField = keyID.map { #","key_id":"\#($0)""# } ?? ""
        return try await api.send(.post, "/v1/budgets/team/reservations", key: key, body: """
            {"request_id":"\(requestID)","model":"m1","prompt_tokens":\(prompt),"max_completion_tokens":\(completion)\(keyField)}
            """)
    }

    @Test func reserveSettleRelease_overHTTP_holdAndGiveBack() async throws {
        try await APITest.run(quotas: true) { api in
            let key = try await Self.setUp(api)
            let reserved = try await Self.reserve(api, key, "call-1")
            #expect(reserved.status == .created)
            let grant = try json(reserved)
            let id = try #require(grant["id"] as? String)
            #expect((grant["hold"] as? [String: Any])?["tokens"] as? Int == 200)
            #expect((grant["hold"] as? [String: Any])?["usd"] as? String == "0.0003")
            let retry = try await Self.reserve(api, key, "call-1")
            #expect(retry.status == .created && retry.headers[.idempotentReplayed] == "true")
            #expect(try json(retry)["id"] as? String == id)
            let settled = try await api.send(.post, "/v1/reservations/\(id)/settle", key: key, body: """
                {"outcome":"completed","usage":{"prompt_tokens":100,"completion_tokens":20}}
                """)
            #expect(settled.status == .ok)
            let settlement = try #require(try json(settled)["settlement"] as? [String: Any])
            #expect(settlement["rule"] as? String == "upstream_usage")
            #expect((settlement["refunded"] as? [String: Any])?["tokens"] as? Int == 80)
            let position = try #require(settled.headers[.eventloomPosition])
            let budget = try await api.get("/v1/budgets/team?consistent_with=\(position)", key: key)
            #expect(budget.status == .ok)
            let window = try #require(try json(budget)["window"] as? [String: Any])
            #expect((window["consumed"] as? [String: Any])?["tokens"] as? Int == 120)
            #expect((window["reserved"] as? [String: Any])?["tokens"] as? Int == 0)
            let again = try await api.send(.delete, "/v1/reservations/\(id)", key: key)
            #expect(again.status == .conflict)
        }
    }

    @Test func settle_carryingTheCallsOutcome_recordsItOnItsChannelOnce_andFreesItsPlace() async throws {
        try await APITest.run(quotas: true) { api in
            let key = try await Self.setUp(api)
            let channel = #"{"id":"c1","provider":"openai","base_url":"https://api.example.com/v1","models":[{"name":"m1"}],"limits":{"concurrent":1}}"#
            #expect(try await api.send(.post, "/v1/channels", key: key, body: channel).status == .created)
            #expect(try await api.send(.post, "/v1/channels/c1/keys", key: key, body: #"{"key_id":"k1","secret_ref":"env:K"}"#).status == .created)
            let head = try await api.store.committedHead()
            #expect(try await api.get("/v1/channels?consistent_with=\(head)", key: key).status == .ok)
            #expect(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"m1","request_id":"call-1"}"#).status == .ok)
            try expectProblem(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"m1","request_id":"call-2"}"#),
                              .tooManyRequests)
            let id = try #require(try json(try await Self.reserve(api, key, "call-1"))["id"] as? String)
            let usage = #""usage":{"prompt_tokens":100,"completion_tokens":20}"#
            let badCall = #"{"outcome":"completed",\#(usage),"call":{"channel_id":"c1","key_id":"k9","status":200,"latency_ms":800}}"#
            let refused = try await api.send(.post, "/v1/reservations/\(id)/settle", key: key, body: badCall)
            try expectProblem(refused, .badRequest)
            #expect((try json(refused)["errors"] as? [[String: Any]])?.first?["field"] as? String == "call.key_id")
            #expect(try json(try await api.get("/v1/reservations/\(id)", key: key))["status"] as? String == "open")
            let body = #"{"outcome":"completed",\#(usage),"call":{"channel_id":"c1","key_id":"k1","status":200,"latency_ms":800}}"#
            let settled = try await api.send(.post, "/v1/reservations/\(id)/settle", key: key, body: body)
            #expect(settled.status == .ok, "\(String(buffer: settled.body))")
            #expect(try await api.send(.post, "/v1/reservations/\(id)/settle", key: key, body: body).status == .ok)
            let position = try #require(settled.headers[.eventloomPosition])
            let figures = try #require(try json(try await api.get("/v1/channels/c1?consistent_with=\(position)", key: key))["figures"]
                as? [String: Any])
            #expect(figures["calls"] as? Int == 1)
            #expect(figures["tokens"] as? Int == 120)
            #expect(figures["cost_usd"] as? String == "0.00014")
            // The call's place on the channel is free again.
            #expect(try await api.send(.post, "/v1/route", key: key, body: #"{"model":"m1","request_id":"call-2"}"#).status == .ok)
        }
    }

    @Test func reserve_pastTheLimit_is429WithRetryAfter_andWritesNothing() async throws {
        try await APITest.run(quotas: true) { api in
            let key = try await Self.setUp(api, tokens: 300)
            #expect(try await Self.reserve(api, key, "a").status == .created)
            let before = try await api.store.count(tenant: "acme")
            let refused = try await Self.reserve(api, key, "b")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.contentType] == "application/problem+json")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect(retryAfter > 0 && retryAfter <= 25 * 3_600)
            #expect(try await api.store.count(tenant: "acme") == before)
        }
    }

    @Test func reserve_onADegradingBudget_grantsTheCheaperModel() async throws {
        try await APITest.run(quotas: true) { api in
            let key = try await Self.setUp(api, tokens: 150, overflow: #"{"strategy":"degrade","models":{"m1":{"model":"m0","max_completion_tokens":40}}}"#)
            let granted = try await Self.reserve(api, key, "d1")
            #expect(granted.status == .created)
            let body = try json(granted)
            #expect(body["model"] as? String == "m0" && body["degraded"] as? Bool == true && body["max_completion_tokens"] as? Int == 40)
        }
    }

    @Test func reserve_withADisabledKey_isForbidden_andWithABadModel_too() async throws {
        try await APITest.run(quotas: true) { api in
            let key = try await Self.setUp(api)
            let issued = try await api.post("/v1/keys", key: key, body: #"{"name":"gw","roles":["reader"],"allowed_models":["m1"]}"#)
            let keyID = try #require(try json(issued)["id"] as? String)
            #expect(try await Self.reserve(api, key, "k1", keyID: keyID).status == .created)
            let badModel = try await api.send(.post, "/v1/budgets/team/reservations", key: key,
                                              body: #"{"request_id":"k2","model":"m0","prompt_tokens":1,"max_completion_tokens":1,"key_id":"\#(keyID)"}"#)
            #expect(badModel.status == .forbidden)
            let disabled = try await api.send(.patch, "/v1/keys/\(keyID)", key: key, body: #"{"status":"disabled"}"#)
            let disabledStatus = try json(disabled)["status"] as? String
            #expect(disabled.status == .ok && disabledStatus == "disabled")
            let refused = try await Self.reserve(api, key, "k3", keyID: keyID)
            #expect(refused.status == .forbidden)
            #expect(String(buffer: refused.body).contains("key-not-usable"))
            let stale = try await api.send(.patch, "/v1/keys/\(keyID)", key: key, body: #"{"status":"active"}"#, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
        }
    }

    @Test func aKeysOwnBudget_showsItsChain_andTheKeyAsExhaustedOnceSpent() async throws {
        try await APITest.run(quotas: true) { api in
            let key = try await Self.setUp(api)
            let issued = try await api.post("/v1/keys", key: key, body: #"{"name":"gw","roles":["reader"]}"#)
            let keyID = try #require(try json(issued)["id"] as? String)
            let budget = try await api.send(.post, "/v1/budgets", key: key, body: """
                {"id":"key-budget","name":"k","scope":{"kind":"key","id":"\(keyID)"},"parent_id":"team","limit":{"tokens":200},"period":"day"}
                """)
            #expect(budget.status == .created)
            let reserved = try await api.send(.post, "/v1/budgets/key-budget/reservations", key: key, body: """
                {"request_id":"all","model":"m1","prompt_tokens":100,"max_completion_tokens":100,"key_id":"\(keyID)"}
                """)
            let position = try #require(reserved.headers[.eventloomPosition])
            #expect(try await api.get("/v1/budgets/key-budget?consistent_with=\(position)", key: key).status == .ok)
            let shown = try json(try await api.get("/v1/keys/\(keyID)", key: key))
            #expect(shown["status"] as? String == "exhausted")
            let budgets = try #require(shown["budgets"] as? [[String: Any]])
            #expect(budgets.first?["chain"] as? [String] == ["key-budget", "team"])
        }
    }

    @Test func aBudgetsLiveStream_carriesItsEventsOnly_andAnotherTenantSeesNoBudget() async throws {
        try await APITest.run(quotas: true) { api in
            let key = try await Self.setUp(api)
            let port = try #require(api.client.port)
            var types: [String] = []
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await Task.sleep(for: .milliseconds(500))
                    _ = try await Self.reserve(api, key, "live-1")
                }
                try await SSEClient.read(port: port, path: "/v1/budgets/team/events?after=0-0", key: key) { item in
                    if case .event(_, let type, let data) = item {
                        #expect(data.contains(#""stream_id":"budget-team""#))
                        types.append(type)
                    }
                    return !types.contains("TokensReserved")
                }
                try await group.waitForAll()
            }
            #expect(types == ["BudgetDefined", "BudgetWindowOpened", "TokensReserved"])
            let other = try await api.issueKey(tenant: "other")
            #expect(try await api.get("/v1/budgets/team", key: other).status == .notFound)
            #expect(try await api.get("/v1/budgets/team/events", key: other).status == .notFound)
            #expect(try await Self.reserve(api, other, "x").status == .notFound)
        }
    }

    @Test func badInput_isAClearProblem_andWritesNothing() async throws {
        try await APITest.run(quotas: true) { api in
            let key = try await Self.setUp(api)
            let before = try await api.store.count(tenant: "acme")
            let cases: [(HTTPRequest.Method, String, String, HTTPResponse.Status)] = [
                (.post, "/v1/budgets", #"{"name":"x","scope":{"kind":"team"},"limit":{"tokens":1},"period":"day"}"#, .badRequest),
                (.post, "/v1/budgets", #"{"name":"x","scope":{"kind":"tenant"},"limit":{"usd":"1.0000000001"},"period":"day"}"#, .badRequest),
                (.post, "/v1/budgets", #"{"name":"x","scope":{"kind":"tenant"},"limit":{"tokens":1},"period":"day","time_zone":"Nowhere/City"}"#, .badRequest),
                (.post, "/v1/budgets", #"{"name":"x","scope":{"kind":"tenant"},"limit":{"tokens":1},"period":"day","parent_id":"nope"}"#, .badRequest),
                (.post, "/v1/budgets/team/reservations", #"{"model":"m1","prompt_tokens":1,"max_completion_tokens":1}"#, .badRequest),
                (.post, "/v1/budgets/team/reservations", #"{"request_id":"x","model":"m1","prompt_tokens":-1,"max_completion_tokens":1}"#, .badRequest),
                (.post, "/v1/budgets/nope/reservations", #"{"request_id":"x","model":"m1","prompt_tokens":1,"max_completion_tokens":1}"#, .notFound),
                (.post, "/v1/reservations/nope/settle", #"{"outcome":"completed"}"#, .notFound),
                (.put, "/v1/models/m1/price", #"{"input_per_1k":"1e-3","output_per_1k":"0.002"}"#, .badRequest),
                (.put, "/v1/models/m1/price", #"{"input_per_1k":"0.001","output_per_1k":"0.002","effective_at":"2020-01-01T00:00:00Z"}"#, .badRequest),
            ]
            for (method, uri, body, status) in cases {
                let response = try await api.send(method, uri, key: key, body: body)
                #expect(response.status == status, "\(method) \(uri) \(body): \(String(buffer: response.body))")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            #expect(try await api.store.count(tenant: "acme") == before)
        }
    }

    @Test func usage_isGroupedByModelAndKey_afterSettlements() async throws {
        try await APITest.run(quotas: true) { api in
            let key = try await Self.setUp(api)
            var last = ""
            for index in 0..<3 {
                let id = try #require(try json(try await Self.reserve(api, key, "u\(index)", prompt: 10, completion: 10))["id"] as? String)
                let settled = try await api.send(.post, "/v1/reservations/\(id)/settle", key: key,
                                                 body: #"{"outcome":"completed","usage":{"prompt_tokens":10,"completion_tokens":5}}"#)
                last = try #require(settled.headers[.eventloomPosition])
            }
            let report = try await api.get("/v1/usage?group_by=model&consistent_with=\(last)", key: key)
            #expect(report.status == .ok)
            let rows = try #require(try json(report)["rows"] as? [[String: Any]])
            #expect(rows.count == 1)
            #expect(rows.first?["key"] as? String == "m1" && rows.first?["requests"] as? Int == 3)
            #expect((rows.first?["charged"] as? [String: Any])?["tokens"] as? Int == 45)
            #expect(try await api.get("/v1/usage?group_by=color", key: key).status == .badRequest)
        }
    }
}

@Suite struct ExpiryReactorTests {
    @Test func aReservationPastItsTTL_isExpiredAndRefunded_once() async throws {
        let time = ManualClock()
        try await APITest.run(quotas: true, configure: { $0.clock = time.clock }) { api in
            let key = try await QuotasAPITests.setUp(api)
            let reserved = try await api.send(.post, "/v1/budgets/team/reservations", key: key, body: """
                {"request_id":"short","model":"m1","prompt_tokens":10,"max_completion_tokens":10,"ttl_seconds":1}
                """)
            let id = try #require(try json(reserved)["id"] as? String)
            let position = try #require(reserved.headers[.eventloomPosition])
            #expect(try await api.get("/v1/budgets/team?consistent_with=\(position)", key: key).status == .ok)
            let reactor = ExpiryReactor(
                store: api.store, ledger: QuotaLedger(store: api.store, logger: .init(label: "t"), clock: time.clock),
                logger: .init(label: "t"))
            time.advance(by: 0.999)
            await reactor.runOnce()
            #expect(try json(try await api.get("/v1/reservations/\(id)", key: key))["status"] as? String == "open")
            time.advance(by: 0.001)   // at its expiry
            await reactor.runOnce()
            await reactor.runOnce()
            let shown = try await api.get("/v1/reservations/\(id)", key: key)
            #expect(try json(shown)["status"] as? String == "expired")
            #expect(try json(shown)["stream_version"] as? Int == 2)
            let budget = try await api.store.state(of: Budget.self, tenant: "acme", stream: Budget.stream("team"))
            #expect(budget.state.current?.reserved == .zero)
        }
    }
}
