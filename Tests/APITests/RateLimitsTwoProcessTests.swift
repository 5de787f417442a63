@testable import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Rate limits across two serving processes on one database (docs/rate-limits.md): requests
/// at once are exact, and rpm and tpm admit within 1 % of the limit, never above it, however
/// the calls are spread over the processes.
@Suite("Rate limits across two processes") struct RateLimitsTwoProcessTests {
    static let model = "gpt-4o"

    static func channel(_ id: String, limits: String = "{}") -> String {
        #"{"id":"\#(id)","provider":"openai","base_url":"https://api.example.com/v1","models":[{"name":"gpt-4o"}],"limits":\#(limits)}"#
    }

    /// Two processes on `first`'s database with channels `a` (and `b`) and `limits` set; both
    /// have read every write before `body` runs.
    private static func withTwoProcesses(channels: [(String, String)], limits: [(String, String)],
                                         _ body: @escaping @Sendable ([any TestClientProtocol], String, ManualClock) async throws -> Void)
        async throws
    {
        // Mid-window: no request of a test crosses a minute.
        let time = ManualClock(Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 60) + 5))
        try await APITest.run(configure: { $0.clock = time.clock }) { first in
            let key = try await first.issueKey(tenant: "acme")
            for (id, channelLimits) in channels {
                #expect(try await first.send(.post, "/v1/channels", key: key, body: channel(id, limits: channelLimits)).status == .created)
                #expect(try await first.send(.post, "/v1/channels/\(id)/keys", key: key,
                                             body: #"{"key_id":"k1","secret_ref":"env:K"}"#).status == .created)
            }
            for (path, limit) in limits {
                let set = try await first.send(.put, "/v1/rate-limits/\(path)", key: key, body: limit)
                #expect(set.status == .ok, "\(String(buffer: set.body))")
            }
            try await ChannelsTwoProcessTests.withSecondProcess(first, clock: time) { second in
                let processes = [first.client, second]
                let head = try await first.store.committedHead()
                for process in processes {
                    #expect(try await send(process, .get, "/v1/channels?consistent_with=\(head)", key: key).status == .ok)
                }
                try await body(processes, key, time)
            }
        }
    }

    /// Sends `count` routes at once, alternating between the processes; the answers in order.
    private static func routes(_ count: Int, from start: Int = 0, _ processes: [any TestClientProtocol], key: String,
                               body: @escaping @Sendable (Int) -> String) async throws -> [TestResponse] {
        try await withThrowingTaskGroup(of: (Int, TestResponse).self) { group in
            for index in start..<(start + count) {
                group.addTask { (index, try await send(processes[index % 2], .post, "/v1/route", key: key, body: body(index))) }
            }
            return try await group.reduce(into: []) { $0.append($1) }.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    private static func route(_ index: Int, extra: String = "") -> String {
        #"{"model":"gpt-4o","request_id":"r\#(index)"\#(extra)}"#
    }

    @Test func requestsAtOnce_areExact_acrossProcesses_andFreedByOutcomesAndReleases() async throws {
        try await Self.withTwoProcesses(channels: [("a", "{}")], limits: [("model/gpt-4o", #"{"concurrent":7}"#)]) { processes, key, _ in
            let answers = try await Self.routes(40, processes, key: key) { Self.route($0) }
            let admitted = answers.indices.filter { answers[$0].status == .ok }
            #expect(admitted.count == 7)
            for refused in answers where refused.status != .ok {
                #expect(refused.status == .tooManyRequests)
                #expect(refused.headers[.rateLimitPolicy] == #""model-concurrent";q=7;qu="concurrent-requests""#)
                #expect(refused.headers[.rateLimit] == #""model-concurrent";r=0;t=1"#)
                #expect(refused.headers[.retryAfter] == "1")
            }
            // Three calls end (two reported, one released): three places, and no more.
            let outcomes = admitted.prefix(2).map {
                #"{"channel_id":"a","request_id":"r\#($0)","key_id":"k1","model":"gpt-4o","status":200,"latency_ms":100}"#
            }
            #expect(try await send(processes[0], .post, "/v1/channels/outcomes", key: key,
                                   body: #"{"outcomes":[\#(outcomes.joined(separator: ","))]}"#).status == .ok)
            #expect(try await send(processes[1], .post, "/v1/route/release", key: key,
                                   body: #"{"request_ids":["r\#(admitted[2])"]}"#).status == .noContent)
            let more = try await Self.routes(20, from: 100, processes, key: key) { Self.route($0) }
            #expect(more.filter { $0.status == .ok }.count == 3)
            // A request admitted before keeps its place when routed again.
            #expect(try await send(processes[1], .post, "/v1/route", key: key, body: Self.route(admitted[5])).status == .ok)
        }
    }

    @Test func channelsRequestsAtOnce_areExact_andAFullChannelIsSkipped() async throws {
        let channels = [("a", #"{"concurrent":3}"#), ("b", #"{"concurrent":2}"#)]
        try await Self.withTwoProcesses(channels: channels, limits: []) { processes, key, _ in
            let answers = try await Self.routes(24, processes, key: key) { Self.route($0) }
            let chosen = try answers.filter { $0.status == .ok }.map { try #require((try json($0)["channel"] as? [String: Any])?["channel_id"] as? String) }
            #expect(chosen.filter { $0 == "a" }.count == 3)
            #expect(chosen.filter { $0 == "b" }.count == 2)
            let refused = try #require(answers.first { $0.status != .ok })
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.rateLimitPolicy]?.hasPrefix(#""channel-concurrent";q="#) == true)
        }
    }

    @Test func requestsAMinute_admitWithinOnePercent_neverAbove_retriesIncluded_andTheNextWindowStartsOver() async throws {
        try await Self.withTwoProcesses(channels: [("a", "{}")], limits: [("user/u1", #"{"rpm":1000}"#)]) { processes, key, time in
            var admitted = 0
            for batch in 0..<11 {
                let answers = try await Self.routes(100, from: batch * 100, processes, key: key) {
                    Self.route($0, extra: #","user_id":"u1""#)
                }
                admitted += answers.filter { $0.status == .ok }.count
                for refused in answers where refused.status != .ok {
                    #expect(refused.status == .tooManyRequests)
                    #expect(refused.headers[.rateLimitPolicy] == #""user-rpm";q=1000;w=60"#)
                    #expect(refused.headers[.retryAfter] == "55")
                }
            }
            #expect(admitted <= 1_000)
            #expect(admitted >= 990, "admitted \(admitted) of a limit of 1000")
            // A retry (it excludes the channel it tried) counts as a route too.
            let retry = try await send(processes[0], .post, "/v1/route", key: key,
                                       body: #"{"model":"gpt-4o","request_id":"r0","user_id":"u1","exclude":["z"]}"#)
            #expect(retry.status == .tooManyRequests)
            time.advance(by: 60)
            let next = try await Self.routes(50, from: 5_000, processes, key: key) { Self.route($0, extra: #","user_id":"u1""#) }
            #expect(next.allSatisfy { $0.status == .ok })
        }
    }

    @Test func tokensAMinute_admitWithinOnePercent_neverAbove() async throws {
        try await Self.withTwoProcesses(channels: [("a", #"{"tpm":100000}"#)], limits: []) { processes, key, _ in
            var tokens = 0
            for batch in 0..<13 {
                let answers = try await Self.routes(100, from: batch * 100, processes, key: key) {
                    Self.route($0, extra: #","tokens":\#(50 + ($0 * 37) % 101)"#)
                }
                for (offset, answer) in answers.enumerated() where answer.status == .ok { tokens += 50 + ((batch * 100 + offset) * 37) % 101 }
                for refused in answers where refused.status != .ok {
                    #expect(refused.status == .tooManyRequests)
                    #expect(refused.headers[.rateLimitPolicy] == #""channel-tpm";q=100000;w=60;qu="tokens""#)
                }
            }
            #expect(tokens <= 100_000)
            #expect(tokens >= 99_000, "admitted \(tokens) tokens of a limit of 100000")
        }
    }
}
