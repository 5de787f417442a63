import Domain
import EventStore
import Foundation
import ServiceLifecycle

extension LockWrites {
    /// What an acquire got.
    struct Acquired {
        let grant: LockGrant
        let reentrant: Bool
        let waited: TimeInterval
        let version: Int64
        let position: Cursor?
    }

    /// Takes the lock on `resource` for `claim`; with `wait` > 0, queues behind the holder
    /// and returns once the queue hands the lock over (woken by the write that did it), or
    /// leaves the queue when `wait` runs out.
    /// - Throws: ``Domain/LockError/held(owner:token:until:)`` when someone else holds it
    ///   at the end; the decider's other errors.
    func acquire(_ claim: LockClaim, wait: TimeInterval, tenant: String, resource: String,
                 metadata: EventMetadata) async throws -> Acquired {
        let start = clock.now()
        guard wait > 0 else {
            let outcome = try await handle(.acquire(claim, now: start), tenant: tenant, resource: resource, metadata: metadata)
            return try granted(outcome, claim: claim, waitedSince: start)
        }
        let waiting = LockWait(waiterID: UUID().uuidString.lowercased(), until: start.addingTimeInterval(wait))
        return try await watch.watching(tenant: tenant, stream: Lock.stream(resource)) { wakeups in
            // On shutdown the wait ends at once: the caller leaves the queue (or keeps a grant already handed over).
            try await withGracefulShutdownHandler {
                try await waitInQueue(claim, waiting, wakeups: wakeups, start: start, tenant: tenant, resource: resource,
                                      metadata: metadata)
            } onGracefulShutdown: {
                wakeups.wakeAll()
            }
        }
    }

    /// Joins the queue (or takes a free lock at once), then waits for the hand-over.
    private func waitInQueue(_ claim: LockClaim, _ waiting: LockWait, wakeups: Wakeups, start: Date, tenant: String,
                             resource: String, metadata: EventMetadata) async throws -> Acquired {
        var seen = wakeups.generation
        let outcome = try await handle(.acquire(claim, now: start, wait: waiting), tenant: tenant, resource: resource,
                                       metadata: metadata)
        if outcome.state.grant?.waiterID == nil, let grant = outcome.state.holder(at: start), grant.owner == claim.owner,
           grant.ownerTokenSHA256 == claim.ownerTokenSHA256 {
            return try granted(outcome, claim: claim, waitedSince: start)
        }
        while true {
            let watched = try await watchedState(tenant: tenant, resource: resource)
            let folded = watched.folded
            if let grant = folded.state.grant, grant.waiterID == waiting.waiterID {
                return try await handedOver(grant, version: folded.version, position: watched.position, start: start,
                                            tenant: tenant, resource: resource)
            }
            let now = clock.now()
            if now >= waiting.until || Task.isShuttingDownGracefully
                || !folded.state.waiters.contains(where: { $0.id == waiting.waiterID }) {
                return try await giveUp(waiting, claim: claim, start: start, tenant: tenant, resource: resource,
                                        metadata: metadata)
            }
            if let grant = folded.state.grant, grant.expiresAt <= now {
                // Expiry is decided by time: the first waiter to notice records it.
                _ = try await handle(.expire(now: now), tenant: tenant, resource: resource, metadata: metadata)
                continue
            }
            let until = min(waiting.until, folded.state.grant?.expiresAt ?? waiting.until)
            seen = await wakeups.wait(after: seen, timeout: .milliseconds(max(5, Int64(until.timeIntervalSince(now) * 1000) + 1)))
        }
    }

    /// A grant the queue handed to the caller, with the log position of the event that did.
    private func handedOver(_ grant: LockGrant, version: Int64, position: Cursor?, start: Date, tenant: String,
                            resource: String) async throws -> Acquired
    {
        var position = position
        if position == nil {
            position = try await store.readStream(tenant: tenant, stream: Lock.stream(resource), from: version, limit: 1).first?.cursor
        }
        return Acquired(grant: grant, reentrant: false, waited: clock.now().timeIntervalSince(start), version: version,
                        position: position)
    }

    /// Leaves the queue; a hand-over that won the race is still the caller's, and a lock
    /// left free is taken at once.
    private func giveUp(_ waiting: LockWait, claim: LockClaim, start: Date, tenant: String, resource: String,
                        metadata: EventMetadata) async throws -> Acquired {
        let now = clock.now()
        let outcome = try await handle(.leaveQueue(waiterID: waiting.waiterID, now: now), tenant: tenant, resource: resource,
                                       metadata: metadata)
        if let grant = outcome.state.grant, grant.waiterID == waiting.waiterID {
            return try await handedOver(grant, version: outcome.version, position: outcome.append?.lastCursor, start: start,
                                        tenant: tenant, resource: resource)
        }
        let taken = try await handle(.acquire(claim, now: now), tenant: tenant, resource: resource, metadata: metadata)
        return try granted(taken, claim: claim, waitedSince: start)
    }

    private func granted(_ outcome: CommandHandler<Lock>.Outcome, claim: LockClaim, waitedSince start: Date) throws -> Acquired {
        guard let grant = outcome.state.grant else { throw LockError.notHeld }
        let reentrant = outcome.events.contains { if case .renewed = $0 { true } else { false } }
        return Acquired(grant: grant, reentrant: reentrant, waited: clock.now().timeIntervalSince(start),
                        version: outcome.version, position: outcome.append?.lastCursor)
    }
}
