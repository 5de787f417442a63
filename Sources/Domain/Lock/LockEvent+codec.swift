import Foundation
import Schemas
import SwiftProtobuf

extension LockEvent: EventFamily {
    /// Every type a lock writes, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case acquired = "LockAcquired"
        case renewed = "LockRenewed"
        case released = "LockReleased"
        case forceReleased = "LockForceReleased"
        case expired = "LockExpired"
        case queued = "LockWaitQueued"
        case leftQueue = "LockWaitLeft"

        public var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .acquired: Eventloom_V1_LockAcquired.self
            case .renewed: Eventloom_V1_LockRenewed.self
            case .released: Eventloom_V1_LockReleased.self
            case .forceReleased: Eventloom_V1_LockForceReleased.self
            case .expired: Eventloom_V1_LockExpired.self
            case .queued: Eventloom_V1_LockWaitQueued.self
            case .leftQueue: Eventloom_V1_LockWaitLeft.self
            }
        }

        /// Owners are user or key ids and the reason is an administrator's note: nothing
        /// personal of a data subject.
        public var personalFields: PersonalFields { .none }
    }

    public var kind: Kind {
        switch self {
        case .acquired: .acquired
        case .renewed: .renewed
        case .released: .released
        case .forceReleased: .forceReleased
        case .expired: .expired
        case .queued: .queued
        case .leftQueue: .leftQueue
        }
    }

    public func jsonData() throws -> String {
        switch self {
        case .acquired(let grant): try kind.encode(Self.message(grant))
        case .renewed(let token, let owner, let at, let expiresAt):
            try kind.encode(Eventloom_V1_LockRenewed.with {
                $0.holder = owner
                $0.fencingToken = token
                $0.renewedAt = Google_Protobuf_Timestamp(date: at)
                $0.expiresAt = Google_Protobuf_Timestamp(date: expiresAt)
            })
        case .released(let token, let owner, let at):
            try kind.encode(Eventloom_V1_LockReleased.with {
                $0.holder = owner
                $0.fencingToken = token
                $0.releasedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .forceReleased(let token, let owner, let by, let reason, let at):
            try kind.encode(Eventloom_V1_LockForceReleased.with {
                $0.holder = owner
                $0.fencingToken = token
                $0.releasedBy = by
                $0.reason = reason
                $0.releasedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .expired(let token, let owner, let at):
            try kind.encode(Eventloom_V1_LockExpired.with {
                $0.holder = owner
                $0.fencingToken = token
                $0.expiredAt = Google_Protobuf_Timestamp(date: at)
            })
        case .queued(let waiter): try kind.encode(Self.message(waiter))
        case .leftQueue(let waiterID, let owner, let at):
            try kind.encode(Eventloom_V1_LockWaitLeft.with {
                $0.waiterID = waiterID
                $0.owner = owner
                $0.leftAt = Google_Protobuf_Timestamp(date: at)
            })
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        let kind = try Kind.named(type, schemaVersion: schemaVersion)
        switch kind {
        case .acquired: self = .acquired(Self.grant(try kind.decode(Eventloom_V1_LockAcquired.self, from: json)))
        case .renewed:
            let message = try kind.decode(Eventloom_V1_LockRenewed.self, from: json)
            self = .renewed(token: message.fencingToken, owner: message.holder, at: message.renewedAt.date,
                            expiresAt: message.expiresAt.date)
        case .released:
            let message = try kind.decode(Eventloom_V1_LockReleased.self, from: json)
            self = .released(token: message.fencingToken, owner: message.holder, at: message.releasedAt.date)
        case .forceReleased:
            let message = try kind.decode(Eventloom_V1_LockForceReleased.self, from: json)
            self = .forceReleased(token: message.fencingToken, owner: message.holder, by: message.releasedBy,
                                  reason: message.reason, at: message.releasedAt.date)
        case .expired:
            let message = try kind.decode(Eventloom_V1_LockExpired.self, from: json)
            self = .expired(token: message.fencingToken, owner: message.holder, at: message.expiredAt.date)
        case .queued: self = .queued(Self.waiter(try kind.decode(Eventloom_V1_LockWaitQueued.self, from: json)))
        case .leftQueue:
            let message = try kind.decode(Eventloom_V1_LockWaitLeft.self, from: json)
            self = .leftQueue(waiterID: message.waiterID, owner: message.owner, at: message.leftAt.date)
        }
    }

    private static func message(_ grant: LockGrant) -> Eventloom_V1_LockAcquired {
        .with {
            $0.holder = grant.owner
            $0.fencingToken = grant.token
            $0.ownerTokenSha256 = grant.ownerTokenSHA256
            $0.acquiredAt = Google_Protobuf_Timestamp(date: grant.since)
            $0.expiresAt = Google_Protobuf_Timestamp(date: grant.expiresAt)
            $0.waiterID = grant.waiterID ?? ""
        }
    }

    private static func grant(_ message: Eventloom_V1_LockAcquired) -> LockGrant {
        LockGrant(token: message.fencingToken, owner: message.holder, ownerTokenSHA256: message.ownerTokenSha256,
                  since: message.acquiredAt.date, expiresAt: message.expiresAt.date,
                  waiterID: message.waiterID.isEmpty ? nil : message.waiterID)
    }

    private static func message(_ waiter: LockWaiter) -> Eventloom_V1_LockWaitQueued {
        .with {
            $0.waiterID = waiter.id
            $0.owner = waiter.owner
            $0.ownerTokenSha256 = waiter.ownerTokenSHA256
            $0.ttlMs = Int64((waiter.ttl * 1000).rounded())
            $0.queuedAt = Google_Protobuf_Timestamp(date: waiter.queuedAt)
            $0.giveUpAt = Google_Protobuf_Timestamp(date: waiter.giveUpAt)
        }
    }

    private static func waiter(_ message: Eventloom_V1_LockWaitQueued) -> LockWaiter {
        LockWaiter(id: message.waiterID, owner: message.owner, ownerTokenSHA256: message.ownerTokenSha256,
                   ttl: TimeInterval(message.ttlMs) / 1000, queuedAt: message.queuedAt.date, giveUpAt: message.giveUpAt.date)
    }
}
