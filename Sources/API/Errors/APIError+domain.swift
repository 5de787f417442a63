import Domain
import Foundation
import Hummingbird

extension APIError {
    static func fromKey(_ error: KeyError) -> APIError {
        switch error {
        case .alreadyIssued(let keyID): APIError(.conflict, "conflict", "Conflict", detail: "key \(keyID) exists already")
        case .notIssued: .notFound("no such key")
        case .revoked: APIError(.conflict, "key-revoked", "Key revoked", detail: "the key is revoked and cannot change again")
        case .notApplicable(let reason): APIError(.conflict, "conflict", "Conflict", detail: reason)
        case .invalidCommand(let reason): .invalid("body", reason)
        }
    }

    static func fromBudget(_ error: BudgetError, now: Date) -> APIError {
        switch error {
        case .notDefined: return .notFound("no such budget")
        case .alreadyDefined(let budgetID):
            return APIError(.conflict, "conflict", "Conflict", detail: "budget \(budgetID) exists with another definition")
        case .invalidDefinition(let reason): return .invalid("body", reason)
        case .insufficient(let budgetID, let remaining, let retryAt):
            var problem = APIError(.tooManyRequests, "budget-exhausted", "Budget exhausted",
                                   detail: "budget \(budgetID) has \(remaining.tokens == .max ? "unlimited" : "\(remaining.tokens)") tokens and "
                                       + "\(remaining.nanoUSD == .max ? "unlimited" : USD.text(nanos: remaining.nanoUSD)) USD left "
                                       + "in this window; the next window opens at \(APITime.text(retryAt))")
            problem.headers[.retryAfter] = retryAfter(retryAt, now: now)
            return problem
        }
    }

    static func fromReservation(_ error: ReservationError) -> APIError {
        switch error {
        case .notFound: .notFound("no such reservation")
        case .requestMismatch(let reservationID):
            APIError(.unprocessableContent, "idempotency-conflict", "Idempotency conflict",
                     detail: "request_id was used for another reservation request (reservation \(reservationID))")
        case .closed(let status): APIError(.conflict, "reservation-closed", "Reservation closed", detail: "the reservation is \(status)")
        case .invalidRequest(let reason): .invalid("body", reason)
        case .keyNotUsable(let keyID, let status):
            APIError(.forbidden, "key-not-usable", "Key not usable", detail: "key \(keyID) is \(status)")
        case .modelNotAllowed(let model):
            APIError(.forbidden, "model-not-allowed", "Model not allowed", detail: "the key may not use model \(model)")
        }
    }

    static func fromPriceList(_ error: PriceListError) -> APIError {
        switch error {
        case .invalidPrice(let reason): .invalid("body", reason)
        case .retroactive:
            .invalid("effective_at", "must not be in the past, nor before a change already scheduled")
        }
    }

    static func fromSubject(_ error: SubjectError) -> APIError {
        switch error {
        case .alreadyErased(let at):
            APIError(.conflict, "already-erased", "Already erased", detail: "the subject was erased at \(APITime.text(at))")
        case .invalid(let field, let reason): .invalid(field, reason)
        }
    }

    static func fromLock(_ error: LockError, now: Date) -> APIError {
        switch error {
        case .held(let owner, let token, let until):
            var problem = APIError(.init(code: 423, reasonPhrase: "Locked"), "lock-held", "Locked",
                                   detail: "the lock is held by \(owner) until \(APITime.text(until))")
            problem.extra = ["holder": .string(owner), "fencing_token": .int(token), "expires_at": .string(APITime.text(until))]
            problem.headers[.retryAfter] = retryAfter(until, now: now)
            return problem
        case .notHolder:
            return APIError(.conflict, "lock-not-holder", "Not the lock holder",
                            detail: "the owner token is not the holder's: that grant was released, expired or taken")
        case .staleToken(let presented, let current):
            var problem = APIError(.conflict, "lock-stale-token", "Stale fencing token",
                                   detail: current.map { "fencing token \(presented) is stale: the lock's grant in force is \($0)" }
                                       ?? "fencing token \(presented) is stale: nobody holds the lock now")
            problem.extra = ["presented_token": .int(presented), "current_token": current.map { .int($0) } ?? .null]
            return problem
        case .notHeld:
            return APIError(.conflict, "lock-not-held", "Lock not held", detail: "nobody holds the lock")
        case .unknown:
            return .notFound("no such lock: nothing was ever recorded about it")
        case .queueFull(let limit):
            var problem = APIError(.tooManyRequests, "lock-queue-full", "Lock queue full",
                                   detail: "the lock's queue holds \(limit) waiters already")
            problem.headers[.retryAfter] = "1"
            return problem
        case .invalid(let field, let reason):
            return .invalid(field, reason)
        }
    }
}

extension APIError {
    static func fromDocument(_ error: DocumentError) -> APIError {
        switch error {
        case .unknown:
            return .notFound("no such document")
        case .alreadyExists:
            return APIError(.conflict, "document-exists", "Document exists", detail: "a document with this id exists already")
        case .unknownRef(let ref):
            var problem = APIError(.notFound, "unknown-ref", "Unknown ref",
                                   detail: "no branch, tag or commit of this document is called \(ref)")
            problem.extra = ["ref": .string(ref)]
            return problem
        case .headMoved(let branch, let expected, let current):
            var problem = APIError(.conflict, "document-head-moved", "Branch moved",
                                   detail: "branch \(branch) is at \(current ?? "no commit yet"), not \(expected ?? "unborn"); "
                                       + "read it again and commit on its current head")
            problem.extra = ["branch": .string(branch), "expected_head": expected.map { .string($0) } ?? .null,
                             "current_head": current.map { .string($0) } ?? .null]
            return problem
        case .branchExists(let name):
            return APIError(.conflict, "branch-exists", "Branch exists", detail: "branch \(name) exists and points elsewhere")
        case .tagExists(let name):
            return APIError(.conflict, "tag-exists", "Tag exists", detail: "tag \(name) exists and tags never move")
        case .defaultBranch(let name):
            return APIError(.conflict, "default-branch", "Default branch", detail: "\(name) is the default branch and cannot be deleted")
        case .commitExists(let id):
            return APIError(.conflict, "commit-exists", "Commit exists", detail: "commit \(id) is recorded already on another branch")
        case .tooMany(let what, let limit):
            return APIError(.unprocessableContent, "document-limit", "Document limit reached",
                            detail: "a document holds at most \(limit) \(what)")
        case .invalid(let field, let reason):
            return .invalid(field, reason)
        }
    }

    /// Whole seconds from `now` until `time`, at least 1 (RFC 9110 delay-seconds).
    static func retryAfter(_ time: Date, now: Date) -> String {
        "\(max(1, Int(time.timeIntervalSince(now).rounded(.up))))"
    }
}

extension APIError {
    static func fromSearchIndex(_ error: SearchIndexError) -> APIError {
        switch error {
        case .unknownIndex:
            return .notFound("no such index: nothing was ever recorded about it")
        case .unknownVersion(let version):
            var problem = APIError(.notFound, "unknown-index-version", "Unknown index version",
                                   detail: "the index has no version \(version)")
            problem.extra = ["version": .int(Int64(version))]
            return problem
        case .wrongStatus(let version, let status):
            var problem = APIError(.conflict, "index-version-status", "Version in the wrong state",
                                   detail: "version \(version) is \(status.rawValue), which this does not act on")
            problem.extra = ["version": .int(Int64(version)), "version_status": .string(status.rawValue)]
            return problem
        case .notReady(let version, let reason):
            var problem = APIError(.conflict, "index-version-not-ready", "Version not ready",
                                   detail: "version \(version) did not pass its gate: \(reason)")
            problem.extra = ["version": .int(Int64(version))]
            return problem
        case .serving(let version):
            return APIError(.conflict, "index-version-serving", "Version serving",
                            detail: "version \(version) serves searches; shift its traffic away first")
        case .rolloutRunning(let canary):
            var problem = APIError(.conflict, "rollout-running", "Rollout running",
                                   detail: "a rollout of version \(canary) is under way; promote or abort it first")
            problem.extra = ["canary": .int(Int64(canary))]
            return problem
        case .noRollout:
            return APIError(.conflict, "no-rollout", "No rollout", detail: "no rollout is under way")
        case .noStableVersion:
            return APIError(.conflict, "no-stable-version", "No stable version",
                            detail: "no single version serves 100 % of the searches to roll out over; activate one first")
        case .tooManyVersions(let limit):
            return APIError(.conflict, "too-many-versions", "Too many versions", detail: "the index holds \(limit) versions already")
        case .invalid(let field, let reason):
            return .invalid(field, reason)
        }
    }
}

extension APIError {
    static func fromIngestionTask(_ error: IngestionTaskError, now: Date) -> APIError {
        switch error {
        case .unknown:
            return .notFound("no such ingestion task: nothing was ever recorded about it")
        case .claimed(let worker, let until):
            var problem = APIError(.conflict, "ingestion-task-claimed", "Task claimed",
                                   detail: "\(worker) holds the task until \(APITime.text(until))")
            problem.headers[.retryAfter] = retryAfter(until, now: now)
            return problem
        case .notDue(let until):
            var problem = APIError(.conflict, "ingestion-task-backing-off", "Task backing off",
                                   detail: "the task may be claimed again from \(APITime.text(until))")
            problem.headers[.retryAfter] = retryAfter(until, now: now)
            return problem
        case .finished(let status):
            var problem = APIError(.conflict, "ingestion-task-finished", "Task finished", detail: "the task is \(status.rawValue)")
            problem.extra = ["task_status": .string(status.rawValue)]
            return problem
        case .staleToken(let presented, let current):
            var problem = APIError(.conflict, "ingestion-stale-token", "Stale fencing token",
                                   detail: current.map { "fencing token \(presented) is stale: the claim in force is \($0)" }
                                       ?? "fencing token \(presented) is stale: nobody holds the task now (its lease ran out)")
            problem.extra = ["presented_token": .int(presented), "current_token": current.map { .int($0) } ?? .null]
            return problem
        case .wrongStatus(let status):
            return APIError(.conflict, "ingestion-task-status", "Task in the wrong state",
                            detail: "the task is \(status.rawValue), which this does not act on")
        case .invalid(let field, let reason):
            return .invalid(field, reason)
        }
    }
}
