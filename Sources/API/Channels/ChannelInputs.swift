import Domain
import Foundation

/// The body of `POST /v1/channels` (with `id`) and `PUT /v1/channels/{id}`: a channel's spec.
struct ChannelInput: Decodable {
    let id: String?
    let provider: String
    let baseUrl: String
    let models: [ModelInput]
    let groups: [String]?
    let priority: Int?
    let weight: Int?
    /// USD per 1,000 tokens, as the price book takes them.
    let costs: [String: PriceView]?
    let limits: RateLimit?
    let breaker: BreakerInput?

    struct ModelInput: Decodable {
        let name: String
        let upstreamName: String?
    }

    /// Times in milliseconds; an absent setting keeps its default.
    struct BreakerInput: Decodable {
        let windowMs: Int64?
        let minimumCalls: Int?
        let failureRate: Double?
        let cooldownMs: Int64?
        let maximumCooldownMs: Int64?
        let probes: Int?
        let probeTimeoutMs: Int64?
        let fatalKeywords: [String]?
        let disableAfterTrips: Int?
    }

    /// - Throws: ``APIError`` 400 for a malformed price.
    func spec() throws -> ChannelSpec {
        ChannelSpec(provider: provider, baseURL: baseUrl, models: models.map { ChannelModel(name: $0.name, upstreamName: $0.upstreamName) },
                    groups: groups ?? [], priority: priority ?? 0, weight: weight ?? 1,
                    costs: try (costs ?? [:]).mapValues { try $0.price() },
                    limits: limits ?? RateLimit(), breaker: breaker?.policy ?? BreakerPolicy())
    }
}

extension ChannelInput.BreakerInput {
    var policy: BreakerPolicy {
        let defaults = BreakerPolicy()
        func seconds(_ ms: Int64?, _ fallback: TimeInterval) -> TimeInterval { ms.map { TimeInterval($0) / 1_000 } ?? fallback }
        return BreakerPolicy(window: seconds(windowMs, defaults.window), minimumCalls: minimumCalls ?? defaults.minimumCalls,
                             failureRate: failureRate ?? defaults.failureRate, cooldown: seconds(cooldownMs, defaults.cooldown),
                             maximumCooldown: seconds(maximumCooldownMs, defaults.maximumCooldown), probes: probes ?? defaults.probes,
                             probeTimeout: seconds(probeTimeoutMs, defaults.probeTimeout), fatalKeywords: fatalKeywords ?? [],
                             disableAfterTrips: disableAfterTrips)
    }
}

/// The body of `POST /v1/channels/{id}/keys`: the secret itself (sealed by the server) or a
/// reference the gateway resolves, not both.
struct ChannelKeyInput: Decodable {
    let keyId: String
    let secret: String?
    let secretRef: String?
}

/// The body of `POST /v1/channels/{id}/disable`.
struct DisableChannelInput: Decodable {
    let reason: String
}

/// The body of `POST /v1/channels/outcomes`.
struct OutcomeReportInput: Decodable {
    let outcomes: [OutcomeInput]

    struct OutcomeInput: Decodable {
        let channelId: String
        let requestId: String
        let keyId: String
        let model: String
        let status: Int
        let errorType: String?
        let message: String?
        let latencyMs: Int
        /// All the call's tokens; absent: the usage's prompt and completion tokens, else 0.
        let tokens: Int?
        /// Prompt, completion and cached tokens apart (the channel's cost is counted from them).
        let usage: UsageView?
        let retryAfterMs: Int64?
        /// When the call ended (RFC 3339); absent: now.
        let at: String?
    }
}

/// The body of `POST /v1/route`.
struct RouteInput: Decodable {
    let model: String
    /// The gateway's id of the request; the call's outcome is reported with it (a probe slot
    /// is claimed for it). Absent: one is made and returned.
    let requestId: String?
    let group: String?
    /// The API key the request is made with: its group routes it, and it must be allowed the model.
    let keyId: String?
    let exclude: [String]?
    let strategy: String?
    let minSuccessRate: Double?
    let maxLatencyMs: Double?
    /// How many fallbacks to answer (0-10; default 3).
    let fallbacks: Int?
    /// The user the request is made for, when no key names one (rate limits per user).
    let userId: String?
    /// The tokens the call may use (its prompt and most output), counted against tpm limits.
    let tokens: Int?
    /// How long the request holds its places under limits on requests at once, unless its
    /// outcome is reported first (1-3600; default 600).
    let leaseSeconds: Int?
}

/// The body of `POST /v1/route/release`: requests that ended without an outcome to report.
struct RouteReleaseInput: Decodable {
    let requestIds: [String]
}
