import EventStore
import Foundation
import PostgresNIO

extension ProjectionStatus {
    /// The columns ``init(row:)`` reads, from `projections p`.
    static let columns = """
        p.name, p.version, p.tx_id::text AS tx_text, p.global_position, p.state, p.error, p.failed_event_id,
        (extract(epoch FROM p.failed_at) * 1000000)::int8,
        (extract(epoch FROM p.rebuild_requested_at) * 1000000)::int8, p.rebuild_version,
        p.rebuild_tx_id::text AS rebuild_tx_text, p.rebuild_position,
        (extract(epoch FROM p.rebuild_started_at) * 1000000)::int8, p.rebuild_applied, p.rebuild_total,
        (extract(epoch FROM p.last_rebuilt_at) * 1000000)::int8,
        (extract(epoch FROM p.updated_at) * 1000000)::int8
        """

    init(row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        func cell<T: PostgresDecodable>(_ index: Int, _: T.Type = T.self) throws -> T {
            try cells[index].decode(T.self)
        }
        name = try cell(0)
        version = Int(try cell(1, Int32.self))
        cursor = try Self.cursor(try cell(2), try cell(3))
        state = State(rawValue: try cell(4)) ?? .failed
        error = try cell(5)
        failedEventID = try cell(6)
        failedAtMicros = try cell(7)
        lastRebuiltAtMicros = try cell(15)
        updatedAtMicros = try cell(16)
        let requested: Int64? = try cell(8), rebuildVersion: Int32? = try cell(9)
        guard requested != nil || rebuildVersion != nil else { return }
        let rebuildTx: String? = try cell(10), rebuildPosition: Int64? = try cell(11)
        rebuild = Rebuild(
            requestedAtMicros: requested, version: rebuildVersion.map(Int.init),
            cursor: try rebuildTx.map { try Self.cursor($0, rebuildPosition ?? 0) },
            startedAtMicros: try cell(12), applied: try cell(13, Int64?.self) ?? 0, total: try cell(14))
    }

    private static func cursor(_ transaction: String, _ position: Int64) throws -> Cursor {
        guard let tx = UInt64(transaction) else {
            throw EventStoreError(.internalError, "unreadable projection checkpoint \(transaction)")
        }
        return Cursor(transaction: tx, position: position)
    }
}
