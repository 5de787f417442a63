import Domain
import Foundation
import Hummingbird
import Projections

/// A channel as reads return it: its spec, status, keys (never their secrets), breakers and
/// recent figures.
struct ChannelView: ResponseEncodable, PositionedBody {
    let id: String
    let provider: String
    let baseUrl: String
    let models: [ModelView]
    let groups: [String]
    let priority: Int
    let weight: Int
    let costs: [String: PriceView]
    let limits: RateLimit
    let breakerPolicy: PolicyView
    /// `enabled`, `disabled` or `auto_disabled`.
    let status: String
    let disabledReason: String?
    let deleted: Bool
    let keys: [KeyView]
    let breaker: BreakerView
    /// The breakers of models on the channel that are not closed.
    let modelBreakers: [String: BreakerView]
    let figures: FiguresView?
    let lastError: ErrorView?
    let version: Int64
    var position: String?

    struct ModelView: Encodable {
        let name: String
        let upstreamName: String?
    }

    struct PolicyView: Encodable {
        let windowMs: Int64
        let minimumCalls: Int
        let failureRate: Double
        let cooldownMs: Int64
        let maximumCooldownMs: Int64
        let probes: Int
        let probeTimeoutMs: Int64
        let fatalKeywords: [String]
        let disableAfterTrips: Int?
    }

    struct KeyView: Encodable {
        let id: String
        /// `active`, `draining` or `retired`.
        let status: String
        /// `sealed` or `reference`: how the secret is kept (the secret is never shown).
        let secretKind: String
        let asideUntil: String?
        let addedAt: String
    }

    struct BreakerView: Encodable {
        /// `closed`, `open` or `half_open`.
        let phase: String
        let openUntil: String?
        let probesClaimed: Int?
        let probesSucceeded: Int?
        let tripsInARow: Int
    }

    /// The channel's calls over the last five minutes, as its outcomes report them.
    struct FiguresView: Encodable {
        let windowS: Int
        let calls: Int
        let successes: Int
        let successRate: Double?
        let latencyP50Ms: Int?
        let latencyP99Ms: Int?
        let tokens: Int
        /// What the calls whose usage was reported cost, at the channel's price (else the price book's).
        let costUsd: String
        /// Calls reported without their usage, or of a model without a price.
        let uncostedCalls: Int
    }

    struct ErrorView: Encodable {
        let requestId: String
        let keyId: String
        let model: String
        let status: Int
        let errorType: String
        let message: String
        let at: String
    }
}

extension ChannelView {
    init(_ state: ChannelState, version: Int64, stats: ChannelStats?, now: Date) {
        let spec = state.spec ?? ChannelSpec(provider: "", baseURL: "", models: [])
        id = state.id
        provider = spec.provider
        baseUrl = spec.baseURL
        models = spec.models.map { ModelView(name: $0.name, upstreamName: $0.upstreamName) }
        groups = spec.groups
        priority = spec.priority
        weight = spec.weight
        costs = spec.costs.mapValues(PriceView.init)
        limits = spec.limits
        breakerPolicy = PolicyView(spec.breaker)
        switch state.status {
        case .enabled: (status, disabledReason) = ("enabled", nil)
        case .disabled(_, let reason, _): (status, disabledReason) = ("disabled", reason)
        case .autoDisabled(let trips, _): (status, disabledReason) = ("auto_disabled", "the breaker tripped \(trips) times in a row")
        }
        deleted = state.isDeleted
        keys = state.keys.map(KeyView.init)
        breaker = BreakerView(state.breaker)
        modelBreakers = state.modelBreakers.filter { $0.value.phase != .closed }.mapValues(BreakerView.init)
        figures = stats.map { FiguresView($0.figures(now: now)) }
        lastError = stats?.lastError.map(ErrorView.init)
        self.version = version
    }
}

extension ChannelView.PolicyView {
    init(_ policy: BreakerPolicy) {
        func ms(_ seconds: TimeInterval) -> Int64 { Int64((seconds * 1_000).rounded()) }
        self.init(windowMs: ms(policy.window), minimumCalls: policy.minimumCalls, failureRate: policy.failureRate,
                  cooldownMs: ms(policy.cooldown), maximumCooldownMs: ms(policy.maximumCooldown), probes: policy.probes,
                  probeTimeoutMs: ms(policy.probeTimeout), fatalKeywords: policy.fatalKeywords,
                  disableAfterTrips: policy.disableAfterTrips)
    }
}

extension ChannelView.KeyView {
    init(_ key: ChannelKey) {
        let kind = switch key.secret {
        case .sealed: "sealed"
        case .reference: "reference"
        }
        self.init(id: key.id, status: key.status.rawValue, secretKind: kind, asideUntil: key.asideUntil.map(APITime.text),
                  addedAt: APITime.text(key.addedAt))
    }
}

extension ChannelView.BreakerView {
    init(_ breaker: CircuitBreaker) {
        switch breaker.phase {
        case .closed:
            self.init(phase: "closed", openUntil: nil, probesClaimed: nil, probesSucceeded: nil, tripsInARow: breaker.tripsInARow)
        case .open(let until):
            self.init(phase: "open", openUntil: APITime.text(until), probesClaimed: nil, probesSucceeded: nil,
                      tripsInARow: breaker.tripsInARow)
        case .halfOpen(let claims, let succeeded):
            self.init(phase: "half_open", openUntil: nil, probesClaimed: claims.count, probesSucceeded: succeeded,
                      tripsInARow: breaker.tripsInARow)
        }
    }
}

extension ChannelView.FiguresView {
    init(_ figures: WindowFigures) {
        self.init(windowS: Int(ChannelStats.window), calls: figures.calls, successes: figures.successes,
                  successRate: figures.successRate, latencyP50Ms: figures.latencyP50Ms, latencyP99Ms: figures.latencyP99Ms,
                  tokens: figures.tokens, costUsd: USD.text(nanos: figures.costNanoUSD), uncostedCalls: figures.uncostedCalls)
    }
}

extension ChannelView.ErrorView {
    init(_ outcome: CallOutcome) {
        self.init(requestId: outcome.requestID, keyId: outcome.keyID, model: outcome.model, status: outcome.status,
                  errorType: outcome.errorType, message: outcome.message, at: APITime.text(outcome.at))
    }
}

/// A page of `GET /v1/channels`.
struct ChannelPage: ResponseEncodable {
    let channels: [ChannelView]
}

/// What `POST /v1/channels/outcomes` recorded, per channel.
struct OutcomeReportView: ResponseEncodable {
    /// Outcomes recorded now (those whose request id was recorded before are skipped).
    let recorded: Int
    let skipped: Int
    /// Breaker transitions the report caused, in order.
    let transitions: [TransitionView]
    let position: String?

    struct TransitionView: Encodable {
        let channelId: String
        /// `ChannelTripped`, `ChannelRecovered`, `ChannelKeyDisabled`, `ChannelAutoDisabled` …
        let type: String
        let model: String?
        let keyId: String?
    }
}
