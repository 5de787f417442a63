import Domain
import Foundation
import Hummingbird
import Projections

/// A grant as a write returns it; `owner_token` only to the caller it was made for.
struct GrantView: ResponseEncodable, PositionedBody {
    let resource: String
    let owner: String
    let fencingToken: Int64
    let ownerToken: String
    let acquiredAt: String
    let expiresAt: String
    /// The caller already held it with this owner token: same fencing token, time to live extended.
    let reentrant: Bool
    /// How long the caller waited in the queue, in milliseconds (0: granted at once).
    let waitedMs: Int64
    var position: String?

    init(resource: String, grant: LockGrant, ownerToken: OwnerToken, reentrant: Bool, waitedMs: Int64) {
        self.resource = resource
        self.owner = grant.owner
        self.fencingToken = grant.token
        self.ownerToken = ownerToken.text
        self.acquiredAt = APITime.text(grant.since)
        self.expiresAt = APITime.text(grant.expiresAt)
        self.reentrant = reentrant
        self.waitedMs = waitedMs
    }
}

/// What a release or a forced release did.
struct ReleaseView: ResponseEncodable, PositionedBody {
    let resource: String
    let released: Bool
    /// The fencing token of the grant that ended.
    let fencingToken: Int64
    /// The waiter the lock was handed to, if any.
    let nextHolder: String?
    let nextFencingToken: Int64?
    var position: String?
}

/// A lock as the read model holds it, weighed against the caller's clock.
struct LockView: ResponseEncodable {
    struct Waiter: Encodable {
        let waiterId: String
        let owner: String
        let queuedAt: String
        let giveUpAt: String
    }

    let resource: String
    /// `held`, or `free` (never granted, released, or run out).
    let state: String
    let holder: String?
    let fencingToken: Int64?
    let since: String?
    let expiresAt: String?
    let lastFencingToken: Int64
    let lastChange: String
    let changedAt: String
    let streamVersion: Int64
    let waiterCount: Int
    let waiters: [Waiter]?

    init(_ row: LockRow, now: Date, withWaiters: Bool) {
        let grant = row.holder(at: now)
        resource = row.resource
        state = grant == nil ? "free" : "held"
        holder = grant?.holder
        fencingToken = grant?.token
        since = grant.map { APITime.text($0.since) }
        expiresAt = grant.map { APITime.text($0.expiresAt) }
        lastFencingToken = row.lastToken
        lastChange = row.lastChange
        changedAt = APITime.text(row.changedAt)
        streamVersion = row.streamVersion
        waiterCount = row.waiterCount
        waiters = withWaiters ? row.waiters.map {
            Waiter(waiterId: $0.waiterID, owner: $0.owner, queuedAt: APITime.text($0.queuedAt), giveUpAt: APITime.text($0.giveUpAt))
        } : nil
    }
}

/// A page of locks.
struct LockPage: ResponseEncodable {
    let locks: [LockView]
    /// Pass as `after` for the next page; nil on the last.
    let next: String?
}
