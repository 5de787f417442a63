import Domain
import EventStore
import Foundation

/// The body of `POST /v1/ingestion/claims`.
struct ClaimInput: Decodable {
    let worker: String
    let leaseMs: Int64
    /// Only tasks of this index (and version).
    let index: String?
    let version: Int?
}

/// The body of `PUT /v1/ingestion/tasks/{id}/parts/{part}`.
struct PartInput: Decodable {
    let fencingToken: Int64
    let chunks: [ChunkInput]

    struct ChunkInput: Decodable {
        let ordinal: Int
        let start: Int
        let end: Int
        let text: String
        let metadata: [String: String]?
        /// Numbers, or the base64 of little-endian float32 components.
        let vector: VectorInput
    }

    /// The chunks, each checked against the version's dimension and the content's size.
    /// - Throws: ``APIError`` 400 naming the first chunk and field at fault.
    func validated(dimension: Int, contentSize: Int) throws -> [Chunk] {
        guard (1...Chunk.maximumPerPart).contains(chunks.count) else {
            throw APIError.invalid("chunks", "must hold 1-\(Chunk.maximumPerPart) chunks")
        }
        guard Set(chunks.map(\.ordinal)).count == chunks.count else {
            throw APIError.invalid("chunks", "must not hold one ordinal twice")
        }
        return try chunks.enumerated().map { index, input in
            let chunk = Chunk(ordinal: input.ordinal, start: input.start, end: input.end, text: input.text,
                              metadata: input.metadata ?? [:], vector: input.vector.components)
            if let problem = chunk.problem(dimension: dimension, contentSize: contentSize) {
                throw APIError.invalid("chunks[\(index)].\(problem.field)", problem.reason)
            }
            return chunk
        }
    }
}

/// The body of `POST /v1/ingestion/tasks/{id}/progress`.
struct ProgressInput: Decodable {
    let fencingToken: Int64
    let chunks: Int
    let parts: Int
    let leaseMs: Int64
}

/// The body of `POST /v1/ingestion/tasks/{id}/complete`.
struct CompleteInput: Decodable {
    let fencingToken: Int64
}

/// The body of `POST /v1/ingestion/tasks/{id}/fail`.
struct FailInput: Decodable {
    let fencingToken: Int64
    let error: String
    /// false: the content can never be embedded (dead-lettered at once); default true.
    let retryable: Bool?
}

enum IngestionInput {
    /// The task named by the path. - Throws: ``APIError`` 400 for an id no task can have.
    static func task(_ context: AppRequestContext) throws -> IngestionTaskKey {
        let id = try PathInput(context: context).string("id")
        guard let key = IngestionTaskKey(id: id), Identifiers.isValidStream(IngestionTask.stream(key)) else {
            throw APIError.invalid("id", "must be a task id, <index>:<version>:<content sha256>")
        }
        return key
    }

    /// A lease in milliseconds as seconds. - Throws: ``APIError`` 400 outside 1 s…1 h.
    static func lease(_ milliseconds: Int64) throws -> TimeInterval {
        guard (1_000...Int64(IngestionTask.maximumLease * 1_000)).contains(milliseconds) else {
            throw APIError.invalid("lease_ms", "must be in 1000...\(Int64(IngestionTask.maximumLease * 1_000)) milliseconds")
        }
        return TimeInterval(milliseconds) / 1_000
    }
}
