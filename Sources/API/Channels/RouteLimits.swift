import Domain
import EventStore
import Foundation
import Projections

/// The rate limits a route applies (docs/rate-limits.md): those of the API key, its user and
/// the model (from the tenant's rate limits), and each channel's own.
struct RouteLimits {
    let limiter: RateLimiter
    let channels: ChannelsReadModel
    /// How long a route's lease on a place holds unless its outcome is reported first.
    static let defaultLeaseSeconds = 600
    static let maximumLeaseSeconds = 3_600
    /// The most tokens a route may name.
    static let maximumTokens = RateLimit.range.upperBound

    /// The limits of the request itself: its key's, its user's and its model's.
    func requestDemands(tenant: String, keyID: String?, userID: String?, model: String, tokens: Int) -> [RateDemand] {
        let subjects: [(RateScope, String?)] = [(.key, keyID), (.user, userID), (.model, model)]
        return subjects.compactMap { scope, subject in
            guard let subject, let limit = channels.model.rateLimit(tenant: tenant, scope, subject) else { return nil }
            return RateDemand(scope: "\(scope.rawValue):\(subject)", limit: limit, tokens: tokens)
        }
    }

    /// The limits of channel `channelID`, whose spec limits it so; nil when it has none.
    static func channelDemand(_ channelID: String, limits: RateLimit, tokens: Int) -> RateDemand? {
        limits.isEmpty ? nil : RateDemand(scope: "channel:\(channelID)", limit: limits, tokens: tokens)
    }

    /// The tokens a route counts: `tokens` when it names them.
    /// - Throws: ``APIError`` 422 when it names none although a tpm limit applies, or names a bad number.
    static func tokens(_ tokens: Int?, demands: [RateDemand]) throws -> Int {
        if let tokens {
            guard (0...maximumTokens).contains(tokens) else { throw APIError.invalid("tokens", "must be 0-\(maximumTokens)") }
            return tokens
        }
        if let limited = demands.first(where: { $0.limit.tpm != nil }) {
            throw APIError.invalid("tokens", "is required: \(limited.scope) has a limit on tokens a minute")
        }
        return 0
    }

    /// The request's lease on its places: until `now` plus `seconds` (default ``defaultLeaseSeconds``).
    static func leaseEnd(_ seconds: Int?, now: Date) throws -> Date {
        let seconds = seconds ?? defaultLeaseSeconds
        guard (1...maximumLeaseSeconds).contains(seconds) else {
            throw APIError.invalid("lease_seconds", "must be 1-\(maximumLeaseSeconds)")
        }
        return now + TimeInterval(seconds)
    }

    /// What a call holds under rate limits: to give back when it does not go ahead.
    struct Hold {
        let count: RateCount?
        let lease: RateLease?
    }

    /// Admits the call of `request` on `channelID`: counts it against the channel's rpm and
    /// tpm (`channel`, nil when the channel has no limits), then leases it in every scope
    /// with a limit on requests at once, the request's (`demands`) and the channel's.
    /// - Throws: ``RateRefusal`` naming the limit reached (nothing held then).
    func admit(tenant: String, request: String, channelID: String, channel: RateDemand?, demands: [RateDemand], now: Date,
               until: Date) async throws -> Hold {
        var count: RateCount?
        if let channel { count = try await limiter.count(tenant: tenant, demands: [channel], now: now) }
        do {
            let lease = try await limiter.lease(tenant: tenant, request: request, call: channelID,
                                                demands: demands + (channel.map { [$0] } ?? []), now: now, until: until)
            return Hold(count: count, lease: lease)
        } catch {
            if let count { limiter.giveBack(count) }
            throw error
        }
    }

    /// Gives back what `hold` holds; a lease that cannot be ended now expires by itself.
    func giveBack(_ hold: Hold) async {
        if let count = hold.count { limiter.giveBack(count) }
        if let lease = hold.lease { try? await limiter.release(lease) }
    }

    /// What to answer when every channel tried was refused by its limits: the refusal that
    /// clears first (one a retry cannot clear only when all are such).
    static func refusal(_ refusals: [RateRefusal]) -> RateRefusal? {
        refusals.filter { !$0.exceedsLimit }.min { $0.retryAt < $1.retryAt } ?? refusals.first
    }
}
