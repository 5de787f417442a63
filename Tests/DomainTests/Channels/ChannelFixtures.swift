import Domain
import Foundation

// Shared values of the channel decider's tests.

let channelT0 = Date(timeIntervalSince1970: 1_800_000_000)
func channelAt(_ seconds: TimeInterval) -> Date { channelT0.addingTimeInterval(seconds) }

let channelPolicy = BreakerPolicy(window: 60, minimumCalls: 20, failureRate: 0.5, cooldown: 30, maximumCooldown: 300, probes: 2,
                                  probeTimeout: 60)

func channelSpec(_ policy: BreakerPolicy = channelPolicy) -> ChannelSpec {
    ChannelSpec(provider: "openai", baseURL: "https://api.openai.com/v1", models: [ChannelModel(name: "a"), ChannelModel(name: "b")],
                breaker: policy)
}

func channelKey(_ id: String) -> ChannelKey {
    ChannelKey(id: id, secret: .reference("env:\(id.uppercased())"), addedBy: "admin", addedAt: channelT0)
}

/// A channel created at t0 with keys k1 and k2 (or those named).
func createdChannel(_ policy: BreakerPolicy = channelPolicy, keys: [String] = ["k1", "k2"]) -> [ChannelEvent] {
    [.created(id: "c1", spec: channelSpec(policy), by: "admin", at: channelT0)] + keys.map { .keyAdded(channelKey($0)) }
}

/// One outcome with id `id`, at `seconds` after t0.
func outcome(_ id: String, _ status: Int, model: String = "a", key: String = "k1", at seconds: TimeInterval = 0,
             errorType: String = "", retryAfter: TimeInterval? = nil) -> CallOutcome {
    CallOutcome(requestID: id, keyID: key, model: model, status: status, errorType: errorType, latencyMs: 120, tokens: 50,
                retryAfter: retryAfter, at: channelAt(seconds))
}

/// `count` outcomes r<first>… of `status`.
func outcomes(_ count: Int, _ status: Int, model: String = "a", first: Int = 1, at seconds: TimeInterval = 0) -> [CallOutcome] {
    (first..<first + count).map { outcome("r\($0)", status, model: model, at: seconds) }
}

func trip(_ reason: BreakerTrip.Reason, calls: Int, failures: Int, by request: String, status: Int, errorType: String = "",
          trips: Int = 1, cooldown: TimeInterval = 30, at seconds: TimeInterval = 0) -> BreakerTrip {
    BreakerTrip(reason: reason, calls: calls, failures: failures, requestID: request, status: status, errorType: errorType,
                tripsInARow: trips, cooldown: cooldown, at: channelAt(seconds), until: channelAt(seconds + cooldown))
}

/// The events of deciding `commands` in turn on `history`.
func decided(_ history: [ChannelEvent], _ commands: [ChannelCommand]) throws -> [ChannelEvent] {
    var events = history
    for command in commands { events += try Channel.decide(command, Channel.fold(events)) }
    return events
}
