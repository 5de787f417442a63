import Foundation

extension Lock {
    public static func decide(_ command: LockCommand, _ state: LockState) throws -> [LockEvent] {
        switch command {
        case .acquire(let claim, let now, let wait): try acquire(claim, now: now, wait: wait, state: state)
        case .renew(let ownerToken, let ttl, let now): try renew(ownerToken, ttl: ttl, now: now, state: state)
        case .release(let ownerToken, let now): try release(ownerToken, now: now, state: state)
        case .forceRelease(let by, let reason, let now): try forceRelease(by: by, reason: reason, now: now, state: state)
        case .expire(let now): expiry(at: now, state: state)
        case .leaveQueue(let waiterID, let now): leaveQueue(waiterID, now: now, state: state)
        }
    }

    /// A grant that ran out is recorded as expired (and handed to the first waiter) before
    /// the claim is weighed: expiry is decided by time, not by the reactor's punctuality.
    private static func acquire(_ claim: LockClaim, now: Date, wait: LockWait?, state: LockState) throws -> [LockEvent] {
        try validate(claim)
        if let wait { try validate(wait, now: now) }
        let expiry = expiry(at: now, state: state)
        let current = expiry.reduce(state, evolve)
        if let wait, current.grant?.waiterID == wait.waiterID || current.waiters.contains(where: { $0.id == wait.waiterID }) {
            return expiry
        }
        guard let holder = current.holder(at: now) else {
            return expiry + [.acquired(LockGrant(token: current.lastToken + 1, owner: claim.owner,
                                                 ownerTokenSHA256: claim.ownerTokenSHA256, since: now,
                                                 expiresAt: now.addingTimeInterval(claim.ttl)))]
        }
        if holder.owner == claim.owner, holder.ownerTokenSHA256 == claim.ownerTokenSHA256 {
            return expiry + [.renewed(token: holder.token, owner: holder.owner, at: now,
                                      expiresAt: now.addingTimeInterval(claim.ttl))]
        }
        guard let wait else { throw LockError.held(owner: holder.owner, token: holder.token, until: holder.expiresAt) }
        guard current.waiting(at: now).count < maximumWaiters else { throw LockError.queueFull(limit: maximumWaiters) }
        return expiry + [.queued(LockWaiter(id: wait.waiterID, owner: claim.owner, ownerTokenSHA256: claim.ownerTokenSHA256,
                                            ttl: claim.ttl, queuedAt: now, giveUpAt: wait.until))]
    }

    private static func renew(_ ownerToken: String, ttl: TimeInterval, now: Date, state: LockState) throws -> [LockEvent] {
        try validateTTL(ttl)
        let holder = try provenHolder(ownerToken, now: now, state: state)
        return [.renewed(token: holder.token, owner: holder.owner, at: now, expiresAt: now.addingTimeInterval(ttl))]
    }

    private static func release(_ ownerToken: String, now: Date, state: LockState) throws -> [LockEvent] {
        let holder = try provenHolder(ownerToken, now: now, state: state)
        let released = LockEvent.released(token: holder.token, owner: holder.owner, at: now)
        return [released] + handOver(evolve(state, released), now: now)
    }

    private static func forceRelease(by admin: String, reason: String, now: Date, state: LockState) throws -> [LockEvent] {
        try validateText(admin, field: "by", maximum: maximumOwnerLength)
        try validateText(reason, field: "reason", maximum: maximumReasonLength)
        guard state.isKnown else { throw LockError.unknown }
        guard let holder = state.holder(at: now) else { throw LockError.notHeld }
        let released = LockEvent.forceReleased(token: holder.token, owner: holder.owner, by: admin, reason: reason, at: now)
        return [released] + handOver(evolve(state, released), now: now)
    }

    /// The grant's expiry, recorded at the time it ran out, and the hand-over to the first
    /// waiter; nothing when the grant has not run out by `now`.
    static func expiry(at now: Date, state: LockState) -> [LockEvent] {
        guard let grant = state.grant, grant.expiresAt <= now else { return [] }
        let expired = LockEvent.expired(token: grant.token, owner: grant.owner, at: grant.expiresAt)
        return [expired] + handOver(evolve(state, expired), now: now)
    }

    private static func leaveQueue(_ waiterID: String, now: Date, state: LockState) -> [LockEvent] {
        guard let waiter = state.waiters.first(where: { $0.id == waiterID }) else { return [] }
        return [.leftQueue(waiterID: waiterID, owner: waiter.owner, at: now)]
    }

    /// The grant of a free lock to its first waiter still waiting at `now`, if any.
    private static func handOver(_ state: LockState, now: Date) -> [LockEvent] {
        guard state.holder(at: now) == nil, let next = state.waiting(at: now).first else { return [] }
        return [.acquired(LockGrant(token: state.lastToken + 1, owner: next.owner, ownerTokenSHA256: next.ownerTokenSHA256,
                                    since: now, expiresAt: now.addingTimeInterval(next.ttl), waiterID: next.id))]
    }

    /// The grant in force, if `ownerToken` proves its holder.
    private static func provenHolder(_ ownerToken: String, now: Date, state: LockState) throws -> LockGrant {
        guard state.isKnown else { throw LockError.unknown }
        guard let holder = state.holder(at: now), holder.ownerTokenSHA256 == ownerToken else { throw LockError.notHolder }
        return holder
    }
}
