import Foundation

extension IngestionTask {
    public static func decide(_ command: IngestionTaskCommand, _ state: IngestionTaskState) throws -> [IngestionTaskEvent] {
        switch command {
        case .queue(let key, let target, let size, let attempts, let now):
            try queue(key, target: target, contentSize: size, maxAttempts: attempts, now: now, state: state)
        case .claim(let worker, let lease, let now): try claim(worker: worker, lease: lease, now: now, state: state)
        case .reportProgress(let token, let chunks, let parts, let lease, let now):
            try reportProgress(token: token, chunks: chunks, parts: parts, lease: lease, now: now, state: state)
        case .complete(let token, let result, let now): try complete(token: token, result, now: now, state: state)
        case .fail(let token, let error, let retryable, let now):
            try fail(token: token, error: error, retryable: retryable, now: now, state: state)
        case .expire(let now): expiry(at: now, state: state)
        case .requeue(let by, let now): try requeue(by: by, now: now, state: state)
        }
    }

    private static func queue(_ key: IngestionTaskKey, target: IngestionTarget, contentSize: Int, maxAttempts: Int, now: Date,
                              state: IngestionTaskState) throws -> [IngestionTaskEvent] {
        try validate(key)
        try validate(target)
        guard contentSize >= 0 else { throw IngestionTaskError.invalid(field: "content_size", reason: "must not be negative") }
        guard (1...maximumAttempts).contains(maxAttempts) else {
            throw IngestionTaskError.invalid(field: "max_attempts", reason: "must be in 1...\(maximumAttempts)")
        }
        guard let known = state.key else {
            return [.queued(key, target: target, contentSize: contentSize, maxAttempts: maxAttempts, at: now)]
        }
        guard known == key else { throw IngestionTaskError.invalid(field: "key", reason: "is another task's") }
        if state.targets.contains(target) { return [] }
        guard state.targets.count < maximumTargets else {
            throw IngestionTaskError.invalid(field: "target", reason: "the task embeds for \(maximumTargets) commits already")
        }
        return [.targetAdded(target, at: now)]
    }

    /// A lease that ran out is recorded before the claim is weighed: expiry is decided by
    /// time, not by the reactor's punctuality.
    private static func claim(worker: String, lease: TimeInterval, now: Date,
                              state: IngestionTaskState) throws -> [IngestionTaskEvent] {
        try validateText(worker, field: "worker", maximum: 200)
        try validateLease(lease)
        guard state.isKnown else { throw IngestionTaskError.unknown }
        let expiry = expiry(at: now, state: state)
        let current = expiry.reduce(state, evolve)
        switch current.status {
        case .succeeded, .deadLettered: throw IngestionTaskError.finished(current.status)
        case .claimed:
            let holder = current.claim!
            throw IngestionTaskError.claimed(worker: holder.worker, until: holder.leaseExpiresAt)
        case .queued:
            if let retryAt = current.retryAt, retryAt > now { throw IngestionTaskError.notDue(until: retryAt) }
        }
        let claim = IngestionClaim(token: current.lastToken + 1, worker: worker, attempt: current.attempts + 1,
                                   claimedAt: now, leaseExpiresAt: now.addingTimeInterval(lease))
        return expiry + [.claimed(claim)]
    }

    private static func reportProgress(token: Int64, chunks: Int, parts: Int, lease: TimeInterval, now: Date,
                                       state: IngestionTaskState) throws -> [IngestionTaskEvent] {
        try validateLease(lease)
        guard chunks >= 0, parts >= 0 else {
            throw IngestionTaskError.invalid(field: "chunks", reason: "progress must not be negative")
        }
        try checkFence(token: token, state: state, now: now)
        return [.progressed(token: token, chunks: chunks, parts: parts, leaseExpiresAt: now.addingTimeInterval(lease), at: now)]
    }

    private static func complete(token: Int64, _ result: IngestionResult, now: Date,
                                 state: IngestionTaskState) throws -> [IngestionTaskEvent] {
        guard result.chunks >= 0, result.parts >= 0, result.bytes >= 0 else {
            throw IngestionTaskError.invalid(field: "result", reason: "counts must not be negative")
        }
        try checkFence(token: token, state: state, now: now)
        return [.succeeded(token: token, result, at: now)]
    }

    private static func fail(token: Int64, error: String, retryable: Bool, now: Date,
                             state: IngestionTaskState) throws -> [IngestionTaskEvent] {
        try validateText(error, field: "error", maximum: maximumErrorLength)
        try checkFence(token: token, state: state, now: now)
        let attempt = state.claim!.attempt
        guard retryable, attempt < state.maxAttempts else {
            return [.deadLettered(token: token, attempts: attempt, lastError: error, at: now)]
        }
        return [.failed(token: token, attempt: attempt, error: error,
                        retryAt: now.addingTimeInterval(backoff(afterAttempt: attempt)), at: now)]
    }

    /// The lease's end recorded, when it has passed by `now`: back to the queue after the
    /// backoff (counted from the lease's end), or dead-lettered after the last attempt.
    static func expiry(at now: Date, state: IngestionTaskState) -> [IngestionTaskEvent] {
        guard state.status == .claimed, let claim = state.claim, claim.leaseExpiresAt <= now else { return [] }
        guard claim.attempt < state.maxAttempts else {
            return [.deadLettered(token: claim.token, attempts: claim.attempt,
                                  lastError: "the lease of \(claim.worker) ran out", at: now)]
        }
        return [.leaseExpired(token: claim.token, attempt: claim.attempt,
                              retryAt: claim.leaseExpiresAt.addingTimeInterval(backoff(afterAttempt: claim.attempt)), at: now)]
    }

    private static func requeue(by: String, now: Date, state: IngestionTaskState) throws -> [IngestionTaskEvent] {
        try validateText(by, field: "by", maximum: 200)
        guard state.isKnown else { throw IngestionTaskError.unknown }
        switch state.status {
        case .deadLettered: return [.requeued(by: by, at: now)]
        case .queued: return []
        case .claimed, .succeeded: throw IngestionTaskError.wrongStatus(state.status)
        }
    }
}
