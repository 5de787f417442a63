import Domain
import Foundation
import NIOCore
import PostgresNIO

extension EventStore {
    /// The newest seal the sealer stored; nil before the first.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func lastStoredSeal() async throws -> StoredSeal? {
        try await storedSeals("""
            SELECT sequence, tree_size, through_tx::text, through_position, frontier, record FROM seals
             ORDER BY sequence DESC LIMIT 1
            """).first
    }

    /// Seal `sequence`, or the first seal whose tree holds leaf `coveringLeaf`.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func storedSeal(sequence: Int64? = nil, coveringLeaf leaf: Int64? = nil) async throws -> StoredSeal? {
        try await storedSeals("""
            SELECT sequence, tree_size, through_tx::text, through_position, frontier, record FROM seals
             WHERE (\(sequence)::int8 IS NULL OR sequence = \(sequence)) AND (\(leaf)::int8 IS NULL OR tree_size > \(leaf))
             ORDER BY sequence LIMIT 1
            """).first
    }

    private func storedSeals(_ query: PostgresQuery) async throws -> [StoredSeal] {
        do {
            return try await client.queryUnlessClosed(query, logger: logger).map { row in
                let (sequence, size, tx, position, frontier, record) =
                    try row.decode((Int64, Int64, String, Int64, [ByteBuffer], String).self)
                guard case .sealed(let seal) = try SealEvent(type: SealEvent.Kind.sealed.name, schemaVersion: 1, json: record),
                      seal.sequence == sequence, seal.treeSize == size
                else { throw EventStoreError(.internalError, "seal \(sequence) is stored inconsistently") }
                return StoredSeal(record: seal, through: Cursor(transaction: UInt64(tx) ?? 0, position: position),
                                  frontier: MerkleFrontier(size: size, roots: frontier.map { Array($0.readableBytesView) }))
            }
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw readError(error)
        }
    }

    /// Stores `seal` with the leaves and completed nodes its tree added since the last one,
    /// in one transaction.
    func storeSeal(_ seal: StoredSeal, leaves: [(index: Int64, eventID: UUID, hash: [UInt8])],
                   nodes: [(level: Int, index: Int64, hash: Merkle.Hash)]) async throws {
        let record = try SealEvent.sealed(seal.record).jsonData()
        _ = try await withTransaction { connection in
            try await connection.queryUnlessClosed("""
                INSERT INTO seal_leaves (leaf_index, event_id, event_hash)
                SELECT * FROM unnest(\(leaves.map(\.index))::int8[], \(leaves.map(\.eventID))::uuid[],
                                     \(leaves.map { ByteBuffer(bytes: $0.hash) })::bytea[])
                """, logger: logger)
            try await connection.queryUnlessClosed("""
                INSERT INTO seal_nodes (level, node_index, hash)
                SELECT * FROM unnest(\(nodes.map { Int16($0.level) })::int2[], \(nodes.map(\.index))::int8[],
                                     \(nodes.map { ByteBuffer(bytes: $0.hash) })::bytea[])
                """, logger: logger)
            try await connection.queryUnlessClosed("""
                INSERT INTO seals (sequence, tree_size, root_hash, through_tx, through_position, frontier, record)
                VALUES (\(seal.record.sequence), \(seal.record.treeSize), \(ByteBuffer(bytes: seal.frontier.root)),
                        \(String(seal.through.transaction))::xid8, \(seal.through.position),
                        \(seal.frontier.subtrees.map { ByteBuffer(bytes: $0.hash) })::bytea[], \(record))
                """, logger: logger)
            return 0
        }
    }

    /// Drops leaves and nodes beyond the last stored seal (a sealer that stopped between
    /// storing them and its seal leaves none; this is the safety net).
    func dropUnsealed(beyond size: Int64) async throws {
        _ = try await withTransaction { connection in
            try await connection.queryUnlessClosed("DELETE FROM seal_leaves WHERE leaf_index >= \(size)", logger: logger)
            try await connection.queryUnlessClosed("""
                DELETE FROM seal_nodes WHERE (node_index + 1) * (1::int8 << level) > \(size)
                """, logger: logger)
            return 0
        }
    }

    /// The root of the perfect subtree (`level`, `index`) of the sealed tree: a leaf's hash
    /// at level 0.
    /// - Throws: ``EventStoreError`` `internalError` when it is not stored; `unavailable`.
    public func sealNode(level: Int, index: Int64) async throws -> Merkle.Hash {
        let rows: [PostgresRow]
        do {
            rows = try await client.queryUnlessClosed(level == 0
                ? "SELECT event_hash FROM seal_leaves WHERE leaf_index = \(index)"
                : "SELECT hash FROM seal_nodes WHERE level = \(Int16(level)) AND node_index = \(index)", logger: logger)
        } catch {
            throw readError(error)
        }
        guard let buffer = try rows.first?.decode(ByteBuffer.self) else {
            throw EventStoreError(.internalError, "the sealed tree lacks node \(level)/\(index)")
        }
        let bytes = Array(buffer.readableBytesView)
        return level == 0 ? Merkle.leaf(bytes) : bytes
    }

    /// The leaf of event `eventID` of `tenant` in the sealed tree, with the hash it had when sealed.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func sealedLeaf(of eventID: UUID, tenant: String) async throws -> (index: Int64, eventHash: [UInt8])? {
        do {
            let rows = try await client.queryUnlessClosed("""
                SELECT l.leaf_index, l.event_hash FROM seal_leaves l JOIN events e ON e.event_id = l.event_id
                 WHERE l.event_id = \(eventID) AND e.tenant_id = \(tenant)
                """, logger: logger)
            return try rows.first.map { row in
                let (index, hash) = try row.decode((Int64, ByteBuffer).self)
                return (index, Array(hash.readableBytesView))
            }
        } catch {
            throw readError(error)
        }
    }

    /// The sealed leaves from `start`, at most `limit`, in order.
    func sealedLeaves(from start: Int64, limit: Int) async throws -> [(index: Int64, eventID: UUID, hash: [UInt8])] {
        do {
            return try await client.queryUnlessClosed("""
                SELECT leaf_index, event_id, event_hash FROM seal_leaves WHERE leaf_index >= \(start)
                 ORDER BY leaf_index LIMIT \(limit)
                """, logger: logger).map { row in
                let (index, id, hash) = try row.decode((Int64, UUID, ByteBuffer).self)
                return (index, id, Array(hash.readableBytesView))
            }
        } catch {
            throw readError(error)
        }
    }

    /// Proofs over the sealed tree, read from its stored nodes.
    public var sealProver: MerkleProver {
        MerkleProver { level, index in try await self.sealNode(level: level, index: index) }
    }
}
