import Foundation
import Schemas
import SwiftProtobuf

extension IngestionTaskEvent: EventFamily {
    /// Every type an ingestion task writes, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case queued = "IngestionTaskQueued"
        case targetAdded = "IngestionTaskTargetAdded"
        case claimed = "IngestionTaskClaimed"
        case progressed = "IngestionTaskProgressed"
        case succeeded = "IngestionTaskSucceeded"
        case failed = "IngestionTaskFailed"
        case leaseExpired = "IngestionTaskLeaseExpired"
        case deadLettered = "IngestionTaskDeadLettered"
        case requeued = "IngestionTaskRequeued"

        public var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .queued: Eventloom_V1_IngestionTaskQueued.self
            case .targetAdded: Eventloom_V1_IngestionTaskTargetAdded.self
            case .claimed: Eventloom_V1_IngestionTaskClaimed.self
            case .progressed: Eventloom_V1_IngestionTaskProgressed.self
            case .succeeded: Eventloom_V1_IngestionTaskSucceeded.self
            case .failed: Eventloom_V1_IngestionTaskFailed.self
            case .leaseExpired: Eventloom_V1_IngestionTaskLeaseExpired.self
            case .deadLettered: Eventloom_V1_IngestionTaskDeadLettered.self
            case .requeued: Eventloom_V1_IngestionTaskRequeued.self
            }
        }

        /// Hashes, ids, counts and workers' error reports: nothing personal of a data
        /// subject (the chunk text is kept beside the log, where erasure reaches it).
        public var personalFields: PersonalFields { .none }
    }

    public var kind: Kind {
        switch self {
        case .queued: .queued
        case .targetAdded: .targetAdded
        case .claimed: .claimed
        case .progressed: .progressed
        case .succeeded: .succeeded
        case .failed: .failed
        case .leaseExpired: .leaseExpired
        case .deadLettered: .deadLettered
        case .requeued: .requeued
        }
    }

    public func jsonData() throws -> String {
        switch self {
        case .queued(let key, let target, let size, let attempts, let at):
            try kind.encode(Eventloom_V1_IngestionTaskQueued.with {
                $0.index = key.index
                $0.version = Int32(key.version)
                $0.contentSha256 = key.contentSHA256
                $0.target = Self.message(target)
                $0.contentSize = Int64(size)
                $0.maxAttempts = Int32(attempts)
                $0.queuedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .targetAdded(let target, let at):
            try kind.encode(Eventloom_V1_IngestionTaskTargetAdded.with {
                $0.target = Self.message(target)
                $0.addedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .claimed(let claim):
            try kind.encode(Eventloom_V1_IngestionTaskClaimed.with {
                $0.worker = claim.worker
                $0.fencingToken = claim.token
                $0.attempt = Int32(claim.attempt)
                $0.claimedAt = Google_Protobuf_Timestamp(date: claim.claimedAt)
                $0.leaseExpiresAt = Google_Protobuf_Timestamp(date: claim.leaseExpiresAt)
            })
        case .progressed(let token, let chunks, let parts, let leaseExpiresAt, let at):
            try kind.encode(Eventloom_V1_IngestionTaskProgressed.with {
                $0.fencingToken = token
                $0.chunks = Int64(chunks)
                $0.parts = Int64(parts)
                $0.leaseExpiresAt = Google_Protobuf_Timestamp(date: leaseExpiresAt)
                $0.reportedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .succeeded(let token, let result, let at):
            try kind.encode(Eventloom_V1_IngestionTaskSucceeded.with {
                $0.fencingToken = token
                $0.chunks = Int64(result.chunks)
                $0.parts = Int64(result.parts)
                $0.bytes = Int64(result.bytes)
                $0.dataSha256 = result.dataSHA256
                $0.scope = result.scope
                $0.succeededAt = Google_Protobuf_Timestamp(date: at)
            })
        case .failed(let token, let attempt, let error, let retryAt, let at):
            try kind.encode(Eventloom_V1_IngestionTaskFailed.with {
                $0.fencingToken = token
                $0.attempt = Int32(attempt)
                $0.error = error
                $0.retryAt = Google_Protobuf_Timestamp(date: retryAt)
                $0.failedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .leaseExpired(let token, let attempt, let retryAt, let at):
            try kind.encode(Eventloom_V1_IngestionTaskLeaseExpired.with {
                $0.fencingToken = token
                $0.attempt = Int32(attempt)
                $0.retryAt = Google_Protobuf_Timestamp(date: retryAt)
                $0.expiredAt = Google_Protobuf_Timestamp(date: at)
            })
        case .deadLettered(let token, let attempts, let error, let at):
            try kind.encode(Eventloom_V1_IngestionTaskDeadLettered.with {
                $0.fencingToken = token
                $0.attempts = Int32(attempts)
                $0.lastError = error
                $0.deadLetteredAt = Google_Protobuf_Timestamp(date: at)
            })
        case .requeued(let by, let at):
            try kind.encode(Eventloom_V1_IngestionTaskRequeued.with {
                $0.by = by
                $0.requeuedAt = Google_Protobuf_Timestamp(date: at)
            })
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        let kind = try Kind.named(type, schemaVersion: schemaVersion)
        switch kind {
        case .queued:
            let m = try kind.decode(Eventloom_V1_IngestionTaskQueued.self, from: json)
            self = .queued(IngestionTaskKey(index: m.index, version: Int(m.version), contentSHA256: m.contentSha256),
                           target: Self.target(m.target), contentSize: Int(m.contentSize), maxAttempts: Int(m.maxAttempts),
                           at: m.queuedAt.date)
        case .targetAdded:
            let m = try kind.decode(Eventloom_V1_IngestionTaskTargetAdded.self, from: json)
            self = .targetAdded(Self.target(m.target), at: m.addedAt.date)
        case .claimed:
            let m = try kind.decode(Eventloom_V1_IngestionTaskClaimed.self, from: json)
            self = .claimed(IngestionClaim(token: m.fencingToken, worker: m.worker, attempt: Int(m.attempt),
                                           claimedAt: m.claimedAt.date, leaseExpiresAt: m.leaseExpiresAt.date))
        case .progressed:
            let m = try kind.decode(Eventloom_V1_IngestionTaskProgressed.self, from: json)
            self = .progressed(token: m.fencingToken, chunks: Int(m.chunks), parts: Int(m.parts),
                               leaseExpiresAt: m.leaseExpiresAt.date, at: m.reportedAt.date)
        case .succeeded:
            let m = try kind.decode(Eventloom_V1_IngestionTaskSucceeded.self, from: json)
            self = .succeeded(token: m.fencingToken, IngestionResult(chunks: Int(m.chunks), parts: Int(m.parts), bytes: Int(m.bytes),
                                                                     dataSHA256: m.dataSha256, scope: m.scope),
                              at: m.succeededAt.date)
        case .failed:
            let m = try kind.decode(Eventloom_V1_IngestionTaskFailed.self, from: json)
            self = .failed(token: m.fencingToken, attempt: Int(m.attempt), error: m.error, retryAt: m.retryAt.date, at: m.failedAt.date)
        case .leaseExpired:
            let m = try kind.decode(Eventloom_V1_IngestionTaskLeaseExpired.self, from: json)
            self = .leaseExpired(token: m.fencingToken, attempt: Int(m.attempt), retryAt: m.retryAt.date, at: m.expiredAt.date)
        case .deadLettered:
            let m = try kind.decode(Eventloom_V1_IngestionTaskDeadLettered.self, from: json)
            self = .deadLettered(token: m.fencingToken, attempts: Int(m.attempts), lastError: m.lastError, at: m.deadLetteredAt.date)
        case .requeued:
            let m = try kind.decode(Eventloom_V1_IngestionTaskRequeued.self, from: json)
            self = .requeued(by: m.by, at: m.requeuedAt.date)
        }
    }

    private static func message(_ target: IngestionTarget) -> Eventloom_V1_IngestionTarget {
        .with {
            $0.documentID = target.documentID
            $0.commitID = target.commitID
        }
    }

    private static func target(_ m: Eventloom_V1_IngestionTarget) -> IngestionTarget {
        IngestionTarget(documentID: m.documentID, commitID: m.commitID)
    }
}
