import Domain
import Logging
import NIOCore
import PostgresNIO

/// Document content beside the log (docs/documents.md, "Content"): content-addressed,
/// deduplicated per scope, stored as skip-deltas, verified against its hash on every read.
/// The content a commit names is written in the commit's own transaction
/// (``CommandHandler``'s `alongside`), so a refused commit leaves nothing behind.
public struct ContentStore: Sendable {
    public let store: EventStore
    /// Recently read shared contents up to ``cachedContentLimit`` bytes each.
    private let cache: BoundedCache<Key, [UInt8]>?
    /// The most deltas between a stored version and a full one (a line of 2^20 edits).
    static let maximumChain = 24
    /// A delta at least this share of the content's size is not worth it: the full bytes are stored.
    static let fullContentRatio = 0.5
    public static let cachedContentLimit = 2 << 20

    struct Key: Hashable, Sendable {
        let scope: ContentScope
        let sha256: [UInt8]
    }

    /// - Parameter cachedContents: how many contents to keep in memory (0: none).
    public init(store: EventStore, cachedContents: Int = 64) {
        self.store = store
        self.cache = cachedContents > 0 ? BoundedCache(capacity: cachedContents) : nil
    }

    /// How to store `bytes` when committed on `previous` (the hash of the parent commit's
    /// content): nothing if the scope holds it already; else a delta against the version
    /// of `previous`'s line of edits that the skip-delta rule names, or the full bytes.
    /// - Throws: ``EventStoreError`` `unavailable`; `internalError` for damaged content.
    public func prepare(_ bytes: [UInt8], scope: ContentScope, previous: [UInt8]?) async throws -> ContentWrite {
        let sha256 = ContentHash.of(bytes)
        if try await depth(of: sha256, scope: scope) != nil { return .existing(scope, sha256: sha256, size: bytes.count) }
        let full = ContentWrite(scope: scope, sha256: sha256, size: bytes.count, depth: 0, previous: previous, base: nil,
                                data: bytes, isNew: true)
        guard let previous, let previousDepth = try await depth(of: previous, scope: scope) else { return full }
        let depth = previousDepth + 1
        guard let base = try await ancestor(of: previous, scope: scope, atDepth: depth & (depth - 1)),
              let baseBytes = try await content(base, scope: scope) else { return full }
        let delta = ContentDelta.make(from: TextLines(baseBytes), to: TextLines(bytes))
        guard Double(delta.count) < Double(bytes.count) * Self.fullContentRatio else { return full }
        // The bytes are not kept beside the delta: it must rebuild them before it stands in for them.
        guard (try? ContentDelta.apply(delta, to: baseBytes)) == bytes else {
            store.logger.error("a content delta does not rebuild its content; storing the content whole",
                               metadata: ["tenant": "\(scope.tenant)", "sha256": "\(Hex.encode(sha256))"])
            return full
        }
        return ContentWrite(scope: scope, sha256: sha256, size: bytes.count, depth: depth, previous: previous, base: base,
                            data: delta, isNew: true)
    }

    /// Writes `content` in the caller's transaction on `connection` (after its append).
    public func write(_ content: ContentWrite, on connection: PostgresConnection) async throws {
        guard content.isNew else { return }
        try await EventStore.run("""
            INSERT INTO document_contents (tenant_id, scope, sha256, size, depth, previous, base, data)
            VALUES (\(content.scope.tenant), \(content.scope.scope), \(Self.bytea(content.sha256)), \(Int64(content.size)),
                    \(Int32(content.depth)), \(content.previous.map(Self.bytea)), \(content.base.map(Self.bytea)),
                    \(Self.bytea(content.data)))
            ON CONFLICT DO NOTHING
            """, on: connection, logger: store.logger)
    }

    /// The scope that holds content `sha256` of `tenant`: "" when a shared document has it,
    /// else the subject whose private documents do; nil when none does (never stored, or
    /// erased). On `connection` (a transaction), the row found is locked until it ends, so
    /// an erasure deleting it waits for that transaction.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func holder(of sha256: [UInt8], tenant: String, on connection: PostgresConnection? = nil) async throws -> String? {
        let query: PostgresQuery = """
            SELECT scope FROM document_contents WHERE tenant_id = \(tenant) AND sha256 = \(Self.bytea(sha256))
             ORDER BY scope <> '', scope LIMIT 1 FOR SHARE
            """
        do {
            let rows = if let connection {
                try await connection.queryUnlessClosed(query, logger: store.logger)
            } else {
                try await store.client.queryUnlessClosed(query, logger: store.logger)
            }
            return try rows.first?.decode(String.self)
        } catch {
            throw store.readError(error)
        }
    }

    /// The bytes stored under `sha256` in `scope`, checked against it; nil when the scope
    /// holds no such content (never stored, or erased).
    /// - Throws: ``EventStoreError`` `unavailable`; `internalError` when the stored bytes do
    ///   not hash to `sha256` or a delta does not apply (the damage is logged).
    public func content(_ sha256: [UInt8], scope: ContentScope) async throws -> [UInt8]? {
        let key = Key(scope: scope, sha256: sha256)
        if let cached = cache?.value(for: key) { return cached }
        let chain = try await chain(of: sha256, scope: scope)
        guard let full = chain.first else { return nil }
        var bytes = full.data
        do {
            for delta in chain.dropFirst() { bytes = try ContentDelta.apply(delta.data, to: bytes) }
        } catch {
            throw damaged(sha256, scope: scope, reason: "\(error)")
        }
        guard ContentHash.of(bytes) == sha256 else { throw damaged(sha256, scope: scope, reason: "hash mismatch") }
        // Private content is never cached: its owner's erasure deletes it.
        if scope.scope.isEmpty, bytes.count <= Self.cachedContentLimit { cache?.set(bytes, for: key) }
        return bytes
    }

    /// The stored rows from the full version to `sha256`'s, in the order to apply them.
    private func chain(of sha256: [UInt8], scope: ContentScope) async throws -> [(sha256: [UInt8], data: [UInt8])] {
        do {
            let rows = try await store.client.queryUnlessClosed("""
                WITH RECURSIVE chain AS (
                    SELECT c.sha256, c.base, c.data, 0 AS step FROM document_contents c
                     WHERE c.tenant_id = \(scope.tenant) AND c.scope = \(scope.scope) AND c.sha256 = \(Self.bytea(sha256))
                    UNION ALL
                    SELECT c.sha256, c.base, c.data, chain.step + 1 FROM chain
                      JOIN document_contents c
                        ON c.tenant_id = \(scope.tenant) AND c.scope = \(scope.scope) AND c.sha256 = chain.base
                     WHERE chain.step < \(Self.maximumChain)
                )
                SELECT sha256, base IS NULL, data FROM chain ORDER BY step DESC
                """, logger: store.logger)
            var chain: [(sha256: [UInt8], data: [UInt8])] = []
            for row in rows {
                let (hash, isFull, data) = try row.decode((ByteBuffer, Bool, ByteBuffer).self)
                if chain.isEmpty, !isFull { throw damaged(sha256, scope: scope, reason: "its deltas lead to no full content") }
                chain.append((Array(buffer: hash), Array(buffer: data)))
            }
            return chain
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw store.readError(error)
        }
    }

    private func depth(of sha256: [UInt8], scope: ContentScope) async throws -> Int? {
        do {
            let rows = try await store.client.queryUnlessClosed("""
                SELECT depth FROM document_contents
                 WHERE tenant_id = \(scope.tenant) AND scope = \(scope.scope) AND sha256 = \(Self.bytea(sha256))
                """, logger: store.logger)
            return try rows.first.map { Int(try $0.decode(Int32.self)) }
        } catch {
            throw store.readError(error)
        }
    }

    /// The version at `depth` of `sha256`'s line of edits (found through `previous`).
    private func ancestor(of sha256: [UInt8], scope: ContentScope, atDepth depth: Int) async throws -> [UInt8]? {
        do {
            let rows = try await store.client.queryUnlessClosed("""
                WITH RECURSIVE line AS (
                    SELECT c.sha256, c.previous, c.depth FROM document_contents c
                     WHERE c.tenant_id = \(scope.tenant) AND c.scope = \(scope.scope) AND c.sha256 = \(Self.bytea(sha256))
                    UNION ALL
                    SELECT c.sha256, c.previous, c.depth FROM line
                      JOIN document_contents c
                        ON c.tenant_id = \(scope.tenant) AND c.scope = \(scope.scope) AND c.sha256 = line.previous
                     WHERE line.depth > \(Int32(depth))
                )
                SELECT sha256 FROM line WHERE depth = \(Int32(depth)) LIMIT 1
                """, logger: store.logger)
            return try rows.first.map { Array(buffer: try $0.decode(ByteBuffer.self)) }
        } catch {
            throw store.readError(error)
        }
    }

    /// Bytes as a `bytea` parameter (an array of bytes would bind as `"char"[]`).
    static func bytea(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

    private func damaged(_ sha256: [UInt8], scope: ContentScope, reason: String) -> EventStoreError {
        store.logger.error("stored document content is damaged",
                           metadata: ["tenant": "\(scope.tenant)", "sha256": "\(Hex.encode(sha256))", "reason": "\(reason)"])
        return EventStoreError(.internalError, "stored content \(Hex.encode(sha256)) is damaged")
    }
}
