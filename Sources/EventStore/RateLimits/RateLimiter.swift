import Domain
import Foundation
import Synchronization

/// Admits requests under rate limits shared by every serving process (docs/rate-limits.md).
///
/// rpm and tpm count per fixed one-minute window: this process takes the window's allowance
/// from ``RateCounters`` in blocks of at least 1/200 of the limit and admits from them in
/// memory, so the processes together never admit more than the limit, and at most the
/// blocks they hold unused at the window's end less (0.5 % of the limit per process).
/// Calls in flight are leased one by one (a request on one channel), exactly.
public final class RateLimiter: Sendable {
    /// The part of a limit taken at once.
    public static let blockDivisor = 200
    /// The most blocks kept; past it, those of older windows leave first.
    public static let capacity = 100_000
    /// How long a window lasts.
    public static let window: TimeInterval = 60

    private struct Block {
        var window: Date
        var remaining = 0
        /// The shared window has nothing left.
        var spent = false
    }

    private struct LeaseRequest: Sendable {
        let request: String
        let call: String
        let expires: Date
        let now: Date
    }

    private let counters: RateCounters
    private let blocks = Mutex<[String: Block]>([:])
    /// This process's leases queue per set of scopes and go to the database in batches, so
    /// that a busy scope's count is locked once per batch, not once per request.
    private let leases = BatchLanes<LeaseRequest, LeaseResult>(maximumBatch: 256)

    public init(counters: RateCounters) {
        self.counters = counters
    }

    /// Counts a request (and its tokens) against every rpm and tpm limit of `demands`, in
    /// the window `now` falls in. All or nothing.
    /// - Throws: ``RateRefusal`` naming the first limit reached; ``EventStoreError`` when the
    ///   counters cannot be reached. Nothing stays counted either way.
    public func count(tenant: String, demands: [RateDemand], now: Date) async throws -> RateCount {
        let window = Self.windowStart(of: now)
        var taken: [(key: String, amount: Int)] = []
        do {
            for demand in demands {
                for (kind, limit, amount) in [(RateRefusal.Kind.rpm, demand.limit.rpm, 1), (.tpm, demand.limit.tpm, demand.tokens)] {
                    guard let limit, amount > 0 else { continue }
                    let scope = demand.scope + ":" + kind.rawValue
                    let key = tenant + " " + scope
                    guard amount <= limit else {
                        throw RateRefusal(scope: demand.scope, kind: kind, limit: limit, retryAt: window + Self.window, exceedsLimit: true)
                    }
                    guard try await take(amount, of: scope, key: key, tenant: tenant, limit: limit, window: window) else {
                        throw RateRefusal(scope: demand.scope, kind: kind, limit: limit, retryAt: window + Self.window)
                    }
                    taken.append((key, amount))
                }
            }
            return RateCount(window: window, taken: taken)
        } catch {
            giveBack(taken, window: window)
            throw error
        }
    }

    /// Gives back what `count` counted: the request did not go ahead.
    public func giveBack(_ count: RateCount) {
        giveBack(count.taken, window: count.window)
    }

    /// Leases the call of `request` on channel `call` in every scope of `demands` with a
    /// limit on requests at once, until `until`: all or none, in one batch with the calls of
    /// the same scopes queued beside it. nil when no such limit applies, or when the call held
    /// its places already (another route of it owns them: giving this one back frees nothing).
    /// - Throws: ``RateRefusal`` naming the first full scope; ``EventStoreError`` when the
    ///   counters cannot be reached.
    public func lease(tenant: String, request: String, call: String, demands: [RateDemand], now: Date, until: Date)
        async throws -> RateLease?
    {
        let scopes = demands.compactMap { demand in demand.limit.concurrent.map { (scope: demand.scope, maximum: $0) } }
        guard !scopes.isEmpty else { return nil }
        let key = ([tenant] + scopes.map { "\($0.scope)\u{1}\($0.maximum)" }).joined(separator: "\u{0}")
        let counters = counters
        let result = try await leases.submit(LeaseRequest(request: request, call: call, expires: until, now: now), key: key) { batch in
            do {
                let full = try await counters.lease(tenant: tenant, calls: batch.map { ($0.request, $0.call, $0.expires) },
                                                    scopes: scopes, now: batch.map(\.now).max() ?? now)
                return full.map { .success($0) }
            } catch {
                return batch.map { _ in .failure(error) }
            }
        }
        switch result {
        case .leased: return RateLease(tenant: tenant, request: request, call: call)
        case .held: return nil
        case .full(let index):
            throw RateRefusal(scope: scopes[index].scope, kind: .concurrent, limit: scopes[index].maximum, retryAt: now + 1)
        }
    }

    /// Ends `lease`: its call did not go ahead.
    public func release(_ lease: RateLease) async throws {
        try await counters.release(tenant: lease.tenant, requests: [lease.request], calls: [lease.call])
    }

    /// Ends the leases of `calls` (each a request on a channel): they are no longer in flight.
    public func release(tenant: String, calls: [(request: String, call: String)]) async throws {
        try await counters.release(tenant: tenant, requests: calls.map(\.request), calls: calls.map(\.call))
    }

    /// Ends the leases of every call of `requests`.
    public func release(tenant: String, requests: [String]) async throws {
        try await counters.release(tenant: tenant, requests: requests)
    }

    /// The start of the one-minute window `instant` falls in.
    public static func windowStart(of instant: Date) -> Date {
        Date(timeIntervalSince1970: (instant.timeIntervalSince1970 / window).rounded(.down) * window)
    }

    /// Counts `amount` against `scope`'s window (`key` in this process's blocks): from this
    /// process's block, else from a new block taken from the shared window. false when the
    /// window is spent.
    private func take(_ amount: Int, of scope: String, key: String, tenant: String, limit: Int, window: Date) async throws -> Bool {
        switch takeLocally(amount, of: key, window: window) {
        case .some(let admitted): return admitted
        case .none: break
        }
        let wanted = max(amount, limit / Self.blockDivisor)
        let granted = try await counters.take(tenant: tenant, scope: scope, window: window, wanted: wanted, maximum: limit)
        return blocks.withLock { blocks in
            // A block of a later window (this take came back after the window turned) stays.
            if let newer = blocks[key], newer.window > window { return granted >= amount }
            var block = blocks[key].flatMap { $0.window == window ? $0 : nil } ?? Block(window: window)
            block.remaining += granted
            block.spent = block.spent || granted < wanted
            let admitted = block.remaining >= amount
            if admitted { block.remaining -= amount }
            if blocks[key] == nil, blocks.count >= Self.capacity { Self.evict(&blocks, before: window) }
            blocks[key] = block
            return admitted
        }
    }

    /// true or false when this process's block decides; nil when a new block is needed.
    private func takeLocally(_ amount: Int, of key: String, window: Date) -> Bool? {
        blocks.withLock { blocks in
            guard var block = blocks[key], block.window == window else { return nil }
            if block.remaining >= amount {
                block.remaining -= amount
                blocks[key] = block
                return true
            }
            return block.spent ? false : nil
        }
    }

    private func giveBack(_ taken: [(key: String, amount: Int)], window: Date) {
        blocks.withLock { blocks in
            for (key, amount) in taken where blocks[key]?.window == window { blocks[key]?.remaining += amount }
        }
    }

    /// Drops the blocks of windows before `window`, and half of the rest if that is not enough.
    private static func evict(_ blocks: inout [String: Block], before window: Date) {
        blocks = blocks.filter { $0.value.window >= window }
        if blocks.count >= capacity { blocks = Dictionary(uniqueKeysWithValues: blocks.prefix(capacity / 2).map { ($0.key, $0.value) }) }
    }
}
