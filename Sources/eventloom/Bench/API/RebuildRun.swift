import EventStore
import Foundation
import Logging
import PostgresNIO
import Projections

/// A rebuild of the audit read model by the projection process, against the limit: one
/// raw `SELECT` of the whole log, in log order, streamed to this process.
struct RebuildRun: Sendable {
    let client: PostgresClient
    let catalog: ProjectionCatalog
    let logger: Logger

    struct Result: Sendable {
        let events: Int
        let scanRowsPerSecond: Double
        let rebuildEventsPerSecond: Double
    }

    func run() async throws -> Result {
        let (rows, scan) = try await rawScan()
        let (events, rebuild) = try await rebuildAudit()
        return Result(events: events, scanRowsPerSecond: Double(rows) / scan.seconds,
                      rebuildEventsPerSecond: Double(events) / rebuild.seconds)
    }

    /// Every column of every event, read and counted, decoded no further.
    private func rawScan() async throws -> (Int, Duration) {
        let start = ContinuousClock.now
        var rows = 0
        for try await _ in try await client.query("SELECT * FROM events ORDER BY tx_id, global_position", logger: logger) {
            rows += 1
        }
        return (rows, start.duration(to: .now))
    }

    /// Requests the rebuild and times it by the catalog's own clock: from the rebuild's
    /// start (empty tables) to the swap.
    private func rebuildAudit() async throws -> (Int, Duration) {
        guard let before = try await catalog.status("audit") else {
            throw CommandFailure("the audit projection is not registered: is eventloom project running?")
        }
        _ = try await catalog.requestRebuild("audit")
        var started: Int64?
        var total: Int64 = 0
        let deadline = ContinuousClock.now + .seconds(3600)
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            guard let status = try await catalog.status("audit") else { continue }
            if let rebuild = status.rebuild, let start = rebuild.startedAtMicros {
                started = start
                total = rebuild.total ?? 0
            }
            if status.rebuild == nil, let done = status.lastRebuiltAtMicros, done != before.lastRebuiltAtMicros {
                guard let started else { throw CommandFailure("the rebuild finished before its start was seen") }
                return (Int(total), .microseconds(done - started))
            }
        }
        throw CommandFailure("the audit rebuild did not finish within an hour")
    }
}
