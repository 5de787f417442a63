import Domain
import Foundation
import Hummingbird
import Projections

/// A task as the ingestion read model holds it.
struct TaskView: ResponseEncodable {
    let taskId: String
    let index: String
    let version: Int
    let contentSha256: String
    let contentSize: Int
    let status: String
    let attempts: Int
    let maxAttempts: Int
    let worker: String?
    let fencingToken: Int64?
    let leaseExpiresAt: String?
    let retryAt: String?
    let chunks: Int
    let parts: Int
    /// Document commits with this content (the first is named).
    let targets: Int
    let documentId: String
    let commitId: String
    let lastError: String?
    let queuedAt: String
    let changedAt: String

    init(_ row: IngestionTaskRow) {
        self.taskId = row.taskID
        self.index = row.index
        self.version = row.version
        self.contentSha256 = row.contentSHA256
        self.contentSize = row.contentSize
        self.status = row.status
        self.attempts = row.attempts
        self.maxAttempts = row.maxAttempts
        self.worker = row.worker
        self.fencingToken = row.fencingToken
        self.leaseExpiresAt = row.leaseExpiresAt.map(APITime.text)
        self.retryAt = row.retryAt.map(APITime.text)
        self.chunks = row.chunks
        self.parts = row.parts
        self.targets = row.targets
        self.documentId = row.firstDocument
        self.commitId = row.firstCommit
        self.lastError = row.lastError
        self.queuedAt = APITime.text(row.queuedAt)
        self.changedAt = APITime.text(row.changedAt)
    }
}

/// A page of tasks.
struct TaskPage: ResponseEncodable {
    let tasks: [TaskView]
    /// The `after` of the next page; absent on the last.
    let next: String?
}

/// What a worker claimed: the task, its fencing token and lease, the content to embed and
/// how (the version's model, dimension, metric and chunker).
struct ClaimView: ResponseEncodable, PositionedBody {
    let taskId: String
    let fencingToken: Int64
    let attempt: Int
    let leaseExpiresAt: String
    let index: String
    let version: Int
    let contentSha256: String
    let contentSize: Int
    let documentId: String
    let commitId: String
    let embeddingModel: String
    let dimension: Int
    let metric: String
    let chunker: VersionView.ChunkerView
    var position: String?

    init(key: IngestionTaskKey, claim: IngestionClaim, state: IngestionTaskState, spec: IndexVersionSpec) {
        self.taskId = key.id
        self.fencingToken = claim.token
        self.attempt = claim.attempt
        self.leaseExpiresAt = APITime.text(claim.leaseExpiresAt)
        self.index = key.index
        self.version = key.version
        self.contentSha256 = key.contentSHA256
        self.contentSize = state.contentSize
        self.documentId = state.targets.first?.documentID ?? ""
        self.commitId = state.targets.first?.commitID ?? ""
        self.embeddingModel = spec.embeddingModel
        self.dimension = spec.dimension
        self.metric = spec.metric.rawValue
        self.chunker = VersionView.ChunkerView(strategy: spec.chunker.strategy, size: spec.chunker.size,
                                               overlap: spec.chunker.overlap)
    }
}

/// A task's state after a report.
struct ReportView: ResponseEncodable, PositionedBody {
    let taskId: String
    let status: String
    let attempts: Int
    let chunks: Int
    let parts: Int
    let leaseExpiresAt: String?
    let retryAt: String?
    let lastError: String?
    var position: String?

    init(key: IngestionTaskKey, state: IngestionTaskState) {
        self.taskId = key.id
        self.status = state.status.rawValue
        self.attempts = state.attempts
        self.chunks = state.chunks
        self.parts = state.parts
        self.leaseExpiresAt = state.claim.map { APITime.text($0.leaseExpiresAt) }
        self.retryAt = state.retryAt.map(APITime.text)
        self.lastError = state.lastError
    }
}

/// What a part upload staged.
struct StagedView: ResponseEncodable {
    let taskId: String
    let part: Int
    let chunks: Int
    /// Every chunk staged under the token so far.
    let stagedChunks: Int
}

/// The tasks queued for a version's sources.
struct QueuedView: ResponseEncodable {
    let index: String
    let version: Int
    let tasks: [QueuedTask]
    /// Sources that named no commit (an unknown document or ref).
    let skipped: [SkippedSource]

    struct QueuedTask: Encodable {
        let taskId: String
        let documentId: String
        let commitId: String
        /// false: the task existed already (this commit was added to it, or was in it).
        let created: Bool
    }

    struct SkippedSource: Encodable {
        let documentId: String
        let ref: String
        let reason: String
    }
}

/// How a version's build stands.
struct BuildView: ResponseEncodable {
    let index: String
    let version: Int
    let status: String
    let tasks: Int
    let queued: Int
    let claimed: Int
    let succeeded: Int
    let deadLettered: Int
    let chunks: Int
    /// The vectors this process's search read model holds of the version (nil: not loaded).
    let vectors: Int?
    /// The serving processes seen lately, and whether each has applied the version's last
    /// committed chunks: the gate's last fact.
    let servingProcesses: [ServingProcessView]
}

/// A serving process as it last beat.
struct ServingProcessView: Encodable {
    let process: String
    let host: String
    let pid: Int
    let checkpoint: String
    let loaded: Bool
    let seenAt: String
}
