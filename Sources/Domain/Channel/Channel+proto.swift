import Foundation
import Schemas
import SwiftProtobuf

// The channel's values in their protobuf form (channels.proto), both ways.

extension ChannelSpec {
    var proto: Eventloom_V1_ChannelSpec {
        .with {
            $0.provider = provider
            $0.baseURL = baseURL
            $0.models = models.map { model in .with { $0.name = model.name; $0.upstreamName = model.upstreamName ?? "" } }
            $0.groups = groups
            $0.priority = Int32(clamping: priority)
            $0.weight = Int32(clamping: weight)
            $0.costs = costs.mapValues(\.proto)
            $0.limits = .with { $0.rpm = Int64(limits.rpm ?? 0); $0.tpm = Int64(limits.tpm ?? 0); $0.concurrent = Int64(limits.concurrent ?? 0) }
            $0.breaker = breaker.proto
        }
    }

    init(_ message: Eventloom_V1_ChannelSpec) {
        self.init(provider: message.provider, baseURL: message.baseURL,
                  models: message.models.map { ChannelModel(name: $0.name, upstreamName: $0.upstreamName.isEmpty ? nil : $0.upstreamName) },
                  groups: message.groups, priority: Int(message.priority), weight: Int(message.weight),
                  costs: message.costs.mapValues(ModelPrice.init),
                  limits: RateLimit(message.limits),
                  breaker: BreakerPolicy(message.breaker))
    }
}

extension BreakerPolicy {
    var proto: Eventloom_V1_BreakerPolicy {
        .with {
            $0.windowMs = Self.milliseconds(window)
            $0.minimumCalls = Int32(clamping: minimumCalls)
            $0.failureRate = failureRate
            $0.cooldownMs = Self.milliseconds(cooldown)
            $0.maximumCooldownMs = Self.milliseconds(maximumCooldown)
            $0.probes = Int32(clamping: probes)
            $0.probeTimeoutMs = Self.milliseconds(probeTimeout)
            $0.fatalKeywords = fatalKeywords
            $0.disableAfterTrips = Int32(clamping: disableAfterTrips ?? 0)
        }
    }

    init(_ message: Eventloom_V1_BreakerPolicy) {
        self.init(window: Self.seconds(message.windowMs), minimumCalls: Int(message.minimumCalls), failureRate: message.failureRate,
                  cooldown: Self.seconds(message.cooldownMs), maximumCooldown: Self.seconds(message.maximumCooldownMs),
                  probes: Int(message.probes), probeTimeout: Self.seconds(message.probeTimeoutMs),
                  fatalKeywords: message.fatalKeywords,
                  disableAfterTrips: message.disableAfterTrips == 0 ? nil : Int(message.disableAfterTrips))
    }

    static func milliseconds(_ seconds: TimeInterval) -> Int64 {
        seconds.isFinite ? Int64((min(max(seconds, -9e15), 9e15) * 1_000).rounded()) : 0
    }

    static func seconds(_ milliseconds: Int64) -> TimeInterval { TimeInterval(milliseconds) / 1_000 }
}

extension CallOutcome {
    var proto: Eventloom_V1_CallOutcome {
        .with {
            $0.requestID = requestID
            $0.keyID = keyID
            $0.model = model
            $0.status = Int32(clamping: status)
            $0.errorType = errorType
            $0.message = message
            $0.latencyMs = Int64(latencyMs)
            $0.tokens = Int64(tokens)
            if let usage { $0.usage = usage.proto }
            $0.retryAfterMs = retryAfter.map(BreakerPolicy.milliseconds) ?? 0
            $0.at = Google_Protobuf_Timestamp(date: at)
        }
    }

    init(_ message: Eventloom_V1_CallOutcome) {
        self.init(requestID: message.requestID, keyID: message.keyID, model: message.model, status: Int(message.status),
                  errorType: message.errorType, message: message.message, latencyMs: Int(message.latencyMs),
                  tokens: Int(message.tokens), usage: message.hasUsage ? TokenUsage(message.usage) : nil,
                  retryAfter: message.retryAfterMs == 0 ? nil : BreakerPolicy.seconds(message.retryAfterMs),
                  at: message.at.date)
    }
}

extension BreakerTrip {
    func proto(model: String?) -> Eventloom_V1_ChannelTripped {
        .with {
            $0.model = model ?? ""
            $0.reason = reason.rawValue
            $0.calls = Int32(clamping: calls)
            $0.failures = Int32(clamping: failures)
            $0.requestID = requestID
            $0.status = Int32(clamping: status)
            $0.errorType = errorType
            $0.tripsInARow = Int32(clamping: tripsInARow)
            $0.cooldownMs = BreakerPolicy.milliseconds(cooldown)
            $0.at = Google_Protobuf_Timestamp(date: at)
            $0.until = Google_Protobuf_Timestamp(date: until)
        }
    }

    init(_ message: Eventloom_V1_ChannelTripped) {
        self.init(reason: Reason(rawValue: message.reason) ?? .failureRate, calls: Int(message.calls), failures: Int(message.failures),
                  requestID: message.requestID, status: Int(message.status), errorType: message.errorType,
                  tripsInARow: Int(message.tripsInARow), cooldown: BreakerPolicy.seconds(message.cooldownMs),
                  at: message.at.date, until: message.until.date)
    }
}
