@testable import API
import Domain
import DomainTesting
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Two serving processes on one log (each with its own connections, state cache, batcher and
/// `channels` read model), under random outcome streams: a channel is never routed to while
/// its breaker is open, and a breaker never hands out more probe slots than it has, whichever
/// process the calls reach.
@Suite("Channels across two processes") struct ChannelsTwoProcessTests {
    static let logger = Logger(label: "test.channels")

    static func channelBody(_ id: String) -> String {
        #"{"id":"\#(id)","provider":"openai","base_url":"https://api.example.com/v1","models":[{"name":"gpt-4o"}],"#
            + #""breaker":{"minimum_calls":4,"failure_rate":0.5,"cooldown_ms":30000,"probes":2,"probe_timeout_ms":600000}}"#
    }

    @Test(arguments: [7, 11] as [UInt64])
    func randomOutcomeStreams_neverRouteAnOpenChannel_norHandOutMoreProbesThanAllowed(seed: UInt64) async throws {
        let time = ManualClock()
        try await APITest.run(configure: { $0.clock = time.clock }) { first in
            let key = try await first.issueKey(tenant: "acme")
            for id in ["a", "b"] {
                #expect(try await first.send(.post, "/v1/channels", key: key, body: Self.channelBody(id)).status == .created)
                #expect(try await first.send(.post, "/v1/channels/\(id)/keys", key: key,
                                             body: #"{"key_id":"k1","secret_ref":"env:K"}"#).status == .created)
            }
            try await Self.withSecondProcess(first, clock: time) { second in
                try await Self.run(seed: seed, processes: [first.client, second], key: key, store: first.store, time: time)
            }
        }
    }

    private static func run(seed: UInt64, processes: [any TestClientProtocol], key: String, store: EventStore, time: ManualClock)
        async throws
    {
        var generator = SeededGenerator(state: seed)
        var probes: [String: String] = [:]   // probe request id → channel
        var routed = 0, probed = 0, refused = 0, trips = 0
        for round in 0..<25 {
            let report = Self.report(round: round, probes: &probes, using: &generator)
            let process = processes[Int.random(in: 0..<2, using: &generator)]
            let reported = try await send(process, .post, "/v1/channels/outcomes", key: key, body: report)
            #expect(reported.status == .ok, "\(String(buffer: reported.body))")
            trips += (try json(reported)["transitions"] as? [[String: Any]])?.filter { $0["type"] as? String == "ChannelTripped" }.count ?? 0
            // Both processes have read every write: what they decide from is the log's state.
            let head = try await store.committedHead()
            for process in processes {
                #expect(try await send(process, .get, "/v1/channels?consistent_with=\(head)", key: key).status == .ok)
            }
            let truth = try await Self.states(store)
            let now = time.now
            let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        try await send(processes[index % 2], .post, "/v1/route", key: key,
                                       body: #"{"model":"gpt-4o","request_id":"q\#(round)-\#(index)"}"#)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            var probesGiven: [String: Int] = [:]
            for answer in answers {
                guard answer.status == .ok else {
                    #expect(answer.status == .serviceUnavailable, "\(String(buffer: answer.body))")
                    refused += 1
                    continue
                }
                let body = try json(answer)
                let channel = try #require((body["channel"] as? [String: Any])?["channel_id"] as? String)
                let state = try #require(truth[channel])
                let breaker = state.breaker.phase == .closed ? state.breaker(of: "gpt-4o") : state.breaker
                if body["probe"] as? Bool == true {
                    #expect(breaker.phase != .closed && breaker.allowsProbe(now: now, policy: channelPolicy), "round \(round)")
                    probes[try #require(body["request_id"] as? String)] = channel
                    probesGiven[channel, default: 0] += 1
                    probed += 1
                } else {
                    #expect(breaker.phase == .closed, "round \(round): \(channel) routed while a breaker is \(breaker.phase)")
                    routed += 1
                }
            }
            for (channel, given) in probesGiven {
                let state = try #require(truth[channel])
                let breaker = state.breaker.phase == .closed ? state.breaker(of: "gpt-4o") : state.breaker
                #expect(given <= Self.freeSlots(breaker), "round \(round): \(given) probes of \(channel) given at once")
            }
            try await Self.expectNoMoreProbesThanAllowed(store)
            time.advance(by: Double(Int.random(in: 0...20, using: &generator)))
        }
        #expect(trips > 0 && probed > 0 && routed > 0 && refused > 0, "trips \(trips), probes \(probed), routed \(routed), refused \(refused)")
    }

    static let channelPolicy = BreakerPolicy(window: 60, minimumCalls: 4, failureRate: 0.5, cooldown: 30, maximumCooldown: 1_800,
                                             probes: 2, probeTimeout: 600)

    /// Up to 6 outcomes per channel, half of them failures, and the outcomes of some probes
    /// handed out before (mostly successes).
    private static func report(round: Int, probes: inout [String: String], using generator: inout SeededGenerator) -> String {
        var outcomes: [String] = []
        for channel in ["a", "b"] {
            for index in 0..<Int.random(in: 0...6, using: &generator) {
                let status = Bool.random(using: &generator) ? 200 : 503
                outcomes.append(#"{"channel_id":"\#(channel)","request_id":"\#(channel)-\#(round)-\#(index)","key_id":"k1","model":"gpt-4o","status":\#(status),"latency_ms":100}"#)
            }
        }
        for (id, channel) in probes where Int.random(in: 0..<3, using: &generator) > 0 {
            let status = Int.random(in: 0..<4, using: &generator) == 0 ? 503 : 200
            outcomes.append(#"{"channel_id":"\#(channel)","request_id":"\#(id)","key_id":"k1","model":"gpt-4o","status":\#(status),"latency_ms":100}"#)
            probes[id] = nil
        }
        if outcomes.isEmpty {
            outcomes.append(#"{"channel_id":"a","request_id":"a-\#(round)-x","key_id":"k1","model":"gpt-4o","status":200,"latency_ms":100}"#)
        }
        return #"{"outcomes":[\#(outcomes.joined(separator: ","))]}"#
    }

    /// The probe slots `breaker` has left (no claim times out within the test).
    private static func freeSlots(_ breaker: CircuitBreaker) -> Int {
        switch breaker.phase {
        case .closed: 0
        case .open: channelPolicy.probes
        case .halfOpen(let claims, let succeeded): channelPolicy.probes - claims.count - succeeded
        }
    }

    /// Each channel's state folded from its stream.
    private static func states(_ store: EventStore) async throws -> [String: ChannelState] {
        var states: [String: ChannelState] = [:]
        for id in ["a", "b"] {
            let events = try await store.readStream(tenant: "acme", stream: Channel.stream(id), limit: 10_000)
            states[id] = Channel.fold(try events.map { try $0.decode(as: ChannelEvent.self) })
        }
        return states
    }

    /// Between a breaker's half-opening and its next trip or recovery, no more probe slots
    /// were written than the policy has (no claim times out within the test).
    private static func expectNoMoreProbesThanAllowed(_ store: EventStore) async throws {
        for id in ["a", "b"] {
            var claimed: [String: Int] = [:]   // per breaker: the channel's ("") and each model's
            for event in try await store.readStream(tenant: "acme", stream: Channel.stream(id), limit: 10_000) {
                switch try event.decode(as: ChannelEvent.self) {
                case .halfOpened(let model, _), .tripped(let model, _), .recovered(let model, _, _): claimed[model ?? ""] = 0
                case .probeClaimed(let model, _, _): claimed[model ?? "", default: 0] += 1
                default: break
                }
                #expect(claimed.values.allSatisfy { $0 <= channelPolicy.probes }, "channel \(id): \(claimed) probe slots")
            }
        }
    }

    /// A second serving process: its own store (connections, notifier, listener) on the same
    /// database, and its own application.
    /// Runs `body` with a second serving process on `first`'s database, on the same clock.
    static func withSecondProcess(_ first: APITest, clock: ManualClock,
                                          _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var database = try DatabaseURL.configuration(first.databaseURL)
        database.options.maximumConnections = 8
        try await TestDatabase.withClient(database) { client in
            let store = EventStore(client: client, logger: logger, keyring: TestDatabase.testKeyring)
            try await TestDatabase.withServices(of: store) { store in
                var configuration = APIConfiguration()
                configuration.port = 0
                configuration.adminKey = adminKey
                configuration.clock = clock.clock
                configuration.consistencyTimeout = TestDatabase.horizonTimeout
                var quiet = logger
                quiet.logLevel = .error
                let app = buildApplication(store: store, configuration: configuration, logger: quiet)
                try await app.test(.live) { client in try await body(client) }
            }
        }
    }
}
