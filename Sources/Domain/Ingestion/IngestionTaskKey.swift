import Foundation

/// What makes an ingestion task one: the index version and the content's SHA-256.
public struct IngestionTaskKey: Sendable, Hashable {
    public var index: String
    public var version: Int
    public var contentSHA256: String

    public init(index: String, version: Int, contentSHA256: String) {
        self.index = index
        self.version = version
        self.contentSHA256 = contentSHA256
    }

    /// `<index>:<version>:<sha256>`: the task's id in the API and its stream.
    public var id: String { "\(index):\(version):\(contentSHA256)" }

    /// The key of task id `id`; nil when `id` is not one.
    public init?(id: String) {
        let parts = id.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let version = Int(parts[1]), version > 0 else { return nil }
        self.init(index: String(parts[0]), version: version, contentSHA256: String(parts[2]))
    }
}

/// A document commit a task embeds for.
public struct IngestionTarget: Sendable, Hashable {
    public var documentID: String
    public var commitID: String

    public init(documentID: String, commitID: String) {
        self.documentID = documentID
        self.commitID = commitID
    }
}

/// A worker's hold on a task: its fencing token (greater than every earlier claim's), its
/// attempt number and when its lease ends.
public struct IngestionClaim: Sendable, Hashable {
    public var token: Int64
    public var worker: String
    public var attempt: Int
    public var claimedAt: Date
    public var leaseExpiresAt: Date

    public init(token: Int64, worker: String, attempt: Int, claimedAt: Date, leaseExpiresAt: Date) {
        self.token = token
        self.worker = worker
        self.attempt = attempt
        self.claimedAt = claimedAt
        self.leaseExpiresAt = leaseExpiresAt
    }
}

/// What a finished task committed: its chunks and vectors, uploaded in `parts`, the
/// SHA-256 of the chunk data as stored, and whose personal data the chunks are.
public struct IngestionResult: Sendable, Hashable {
    public var chunks: Int
    public var parts: Int
    public var bytes: Int
    public var dataSHA256: String
    /// "" when a shared document holds the content; else the data subject whose private
    /// documents hold it (erasing that subject removes the chunks from every index).
    public var scope: String

    public init(chunks: Int, parts: Int, bytes: Int, dataSHA256: String, scope: String = "") {
        self.chunks = chunks
        self.parts = parts
        self.bytes = bytes
        self.dataSHA256 = dataSHA256
        self.scope = scope
    }
}
