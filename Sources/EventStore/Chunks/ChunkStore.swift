import Crypto
import Domain
import Foundation
import NIOCore
import PostgresNIO

/// The chunks of ingestion tasks beside the log (docs/indexes.md, "Chunks"): staged by
/// the worker under its fencing token, then moved in the transaction of the task's success
/// event, verified against the digest it carries.
public struct ChunkStore: Sendable {
    public let store: EventStore
    /// Who holds the content a task embeds (staging requires a holder).
    let contents: ContentStore

    public init(store: EventStore) {
        self.store = store
        self.contents = ContentStore(store: store, cachedContents: 0)
    }

    /// Stages `chunks` (part `part` of the worker's upload) under `token`; a chunk staged
    /// again under the same token replaces the earlier upload. The content the task embeds
    /// must still be held by a document (its row is held until the part is staged, so an
    /// erasure of its owner deletes the part too).
    /// - Throws: ``EventStoreError`` `subjectErased` when no document holds the content any
    ///   more; `unavailable`.
    public func stage(tenant: String, taskID: String, token: Int64, part: Int, chunks: [Chunk]) async throws {
        guard !chunks.isEmpty else { return }
        guard let content = IngestionTaskKey(id: taskID).flatMap({ Hex.decode($0.contentSHA256) }) else {
            throw EventStoreError.invalid("not a task id: \(taskID)")
        }
        let metadata = try chunks.map(Self.metadataJSON)
        let ordinals = chunks.map { Int32($0.ordinal) }
        let starts = chunks.map { Int64($0.start) }
        let ends = chunks.map { Int64($0.end) }
        let texts = chunks.map(\.text)
        let vectors = chunks.map { ByteBuffer(bytes: HalfPrecision.encode($0.vector)) }
        try await store.withTransaction { connection in
            guard try await contents.holder(of: content, tenant: tenant, on: connection) != nil else {
                throw Self.contentErased
            }
            try await EventStore.run("""
                INSERT INTO ingestion_staged_chunks
                    (tenant_id, task_id, token, ordinal, part, start_offset, end_offset, text, metadata, vector)
                SELECT \(tenant), \(taskID), \(token), o, \(Int32(part)), s, e, t, m, v
                  FROM unnest(\(ordinals), \(starts), \(ends), \(texts), \(metadata), \(vectors)) AS u(o, s, e, t, m, v)
                ON CONFLICT (tenant_id, task_id, token, ordinal) DO UPDATE
                   SET part = excluded.part, start_offset = excluded.start_offset, end_offset = excluded.end_offset,
                       text = excluded.text, metadata = excluded.metadata, vector = excluded.vector, staged_at = now()
                """, on: connection, logger: store.logger)
        }
    }

    /// The error for a task whose content no document holds any more.
    public static let contentErased = EventStoreError(
        .subjectErased, "the content this task embeds was erased with its owner; nothing is staged or committed")

    /// Drops what `token` staged (its attempt failed), in the caller's transaction.
    public func dropStaged(tenant: String, taskID: String, token: Int64, on connection: PostgresConnection) async throws {
        try await EventStore.run("""
            DELETE FROM ingestion_staged_chunks WHERE tenant_id = \(tenant) AND task_id = \(taskID) AND token = \(token)
            """, on: connection, logger: store.logger)
    }

    /// What is staged under `token`.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func staged(tenant: String, taskID: String, token: Int64) async throws -> ChunkSummary {
        do {
            let rows = try await store.client.queryUnlessClosed("""
                SELECT count(*)::int8, coalesce(max(ordinal), -1)::int8,
                       coalesce(sum(octet_length(text) + octet_length(metadata) + octet_length(vector)), 0)::int8,
                       encode(sha256(coalesce(string_agg(ingestion_chunk_sha256(ordinal, start_offset, end_offset, text,
                                                                                metadata, vector), ''::bytea ORDER BY ordinal),
                                              ''::bytea)), 'hex')
                  FROM ingestion_staged_chunks WHERE tenant_id = \(tenant) AND task_id = \(taskID) AND token = \(token)
                """, logger: store.logger)
            return try Self.decodeSummary(rows)
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw store.readError(error)
        }
    }

    /// Moves what `token` staged into the task's chunks, in the caller's transaction on
    /// `connection` (after the success event's append), and drops every staged row of the
    /// task; the moved rows must match `expected`, or the transaction fails.
    /// - Throws: ``EventStoreError`` `internalError` when the moved rows are not what the
    ///   event says (a part staged between the summary and the commit).
    public func commit(tenant: String, taskID: String, token: Int64, scope: String, expected: ChunkSummary,
                       on connection: PostgresConnection) async throws {
        try await EventStore.run("""
            INSERT INTO ingestion_chunks (tenant_id, task_id, ordinal, scope, start_offset, end_offset, text, metadata, vector)
            SELECT tenant_id, task_id, ordinal, \(scope), start_offset, end_offset, text, metadata, vector
              FROM ingestion_staged_chunks
             WHERE tenant_id = \(tenant) AND task_id = \(taskID) AND token = \(token)
            """, on: connection, logger: store.logger)
        try await EventStore.run("""
            DELETE FROM ingestion_staged_chunks WHERE tenant_id = \(tenant) AND task_id = \(taskID)
            """, on: connection, logger: store.logger)
        let moved = try Self.decodeSummary(try await connection.queryUnlessClosed("""
            SELECT count(*)::int8, coalesce(max(ordinal), -1)::int8,
                   coalesce(sum(octet_length(text) + octet_length(metadata) + octet_length(vector)), 0)::int8,
                   encode(sha256(coalesce(string_agg(ingestion_chunk_sha256(ordinal, start_offset, end_offset, text,
                                                                            metadata, vector), ''::bytea ORDER BY ordinal),
                                          ''::bytea)), 'hex')
              FROM ingestion_chunks WHERE tenant_id = \(tenant) AND task_id = \(taskID)
            """, logger: store.logger))
        guard moved == expected else {
            store.logger.warning("the chunks committed are not those summarised; the commit is refused",
                                 metadata: ["task": "\(taskID)", "expected": "\(expected.digest)", "moved": "\(moved.digest)"])
            throw EventStoreError(.concurrentChange, "the staged parts changed while the task was committed; commit again")
        }
    }

    /// The committed chunks of `taskID`, in ordinal order (offsets and vectors).
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func chunks(tenant: String, taskID: String) async throws -> [StoredChunk] {
        do {
            let rows = try await store.client.queryUnlessClosed("""
                SELECT ordinal, start_offset, end_offset, vector FROM ingestion_chunks
                 WHERE tenant_id = \(tenant) AND task_id = \(taskID) ORDER BY ordinal
                """, logger: store.logger)
            return try rows.map { row in
                let (ordinal, start, end, vector) = try row.decode((Int32, Int64, Int64, ByteBuffer).self)
                return StoredChunk(ordinal: Int(ordinal), start: Int(start), end: Int(end),
                                   vector: HalfPrecision.decode(Array(buffer: vector)))
            }
        } catch {
            throw store.readError(error)
        }
    }

    /// The texts of the committed chunks named, by task id and ordinal (erased or unknown
    /// ones are missing).
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func texts(tenant: String, of chunks: [ChunkReference]) async throws -> [ChunkReference: String] {
        guard !chunks.isEmpty else { return [:] }
        do {
            let rows = try await store.client.queryUnlessClosed("""
                SELECT c.task_id, c.ordinal, c.text FROM ingestion_chunks c
                  JOIN unnest(\(chunks.map(\.taskID)), \(chunks.map { Int32($0.ordinal) })) AS wanted(task_id, ordinal)
                    ON c.task_id = wanted.task_id AND c.ordinal = wanted.ordinal
                 WHERE c.tenant_id = \(tenant)
                """, logger: store.logger)
            var texts: [ChunkReference: String] = [:]
            for row in rows {
                let (taskID, ordinal, text) = try row.decode((String, Int32, String).self)
                texts[ChunkReference(taskID: taskID, ordinal: Int(ordinal))] = text
            }
            return texts
        } catch {
            throw store.readError(error)
        }
    }

    private static func decodeSummary(_ rows: [PostgresRow]) throws -> ChunkSummary {
        guard let row = rows.first else { return ChunkSummary(chunks: 0, highestOrdinal: -1, bytes: 0, digest: "") }
        let (count, highest, bytes, digest) = try row.decode((Int64, Int64, Int64, String).self)
        return ChunkSummary(chunks: Int(count), highestOrdinal: Int(highest), bytes: Int(bytes), digest: digest)
    }

    /// A chunk's metadata as stored: JSON with sorted keys.
    static func metadataJSON(_ chunk: Chunk) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(chunk.metadata), as: UTF8.self)
    }
}

/// A committed chunk by task and ordinal.
public struct ChunkReference: Sendable, Hashable {
    public let taskID: String
    public let ordinal: Int

    public init(taskID: String, ordinal: Int) {
        self.taskID = taskID
        self.ordinal = ordinal
    }
}
