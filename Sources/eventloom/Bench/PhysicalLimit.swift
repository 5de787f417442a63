import EventStore
import Foundation
import Logging
import PostgresNIO

/// PostgreSQL's own limit for the benchmark's load, on a table identical to `events`
/// (same columns, defaults, identity and indexes): single-row INSERTs from pgbench at
/// the same concurrency for batch 1, concurrent psql COPYs of identical rows, one
/// transaction per batch, otherwise.
struct PhysicalLimit: Sendable {
    let load: AppendLoad
    let scratch: ScratchDatabase
    let logger: Logger

    struct Result: Sendable {
        let name: String
        let rowsPerSecond: Double
        let report: String
    }

    static let table = "bench_limit_events"
    static let columns = "event_id, tenant_id, stream_id, category, stream_version, type, schema_version, data, metadata, recorded_at, hash"
    /// A 32-byte hash, as an equivalent row carries one.
    static let hashHex = String(repeating: "5a", count: 32)

    func measure() async throws -> Result {
        try await scratch.withClient { client in
            try await client.query("CREATE TABLE bench_limit_events (LIKE events INCLUDING ALL)", logger: logger)
            try await client.query("CREATE SEQUENCE bench_limit_versions", logger: logger)
            _ = try? await client.query("CHECKPOINT", logger: logger)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(scratch.name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return load.batch == 1 ? try await pgbenchInserts(in: directory) : try await copies(in: directory)
    }

    private var metadataJSON: String { #"{"actor":"bench","correlationId":"bench-run"}"# }

    private func pgbenchInserts(in directory: URL) async throws -> Result {
        let script = directory.appendingPathComponent("insert.sql")
        try """
            INSERT INTO \(Self.table) (\(Self.columns)) VALUES (gen_random_uuid(), 'bench', 'bench-' || :client_id, \
            'bench', nextval('bench_limit_versions'), 'LockAcquired', 1, '\(AppendLoad.payload(writer: 0))', \
            '\(metadataJSON)', clock_timestamp(), '\\x\(Self.hashHex)');
            """.write(to: script, atomically: true, encoding: .utf8)
        let arguments = ["-n", "-M", "prepared", "-c", "\(load.writers)", "-j", "\(min(2, load.writers))",
                         "-t", "\(load.events / load.writers)", "-f", script.path, scratch.libpqURL]
        let output = try await ExternalProcess.run("pgbench", arguments)
        guard let tps = Self.number(after: "tps = ", in: output) else {
            throw CommandFailure("could not read pgbench's tps from:\n\(output)")
        }
        let latency = Self.number(after: "latency average = ", in: output) ?? 0
        return Result(name: "pgbench single-row INSERT", rowsPerSecond: tps, report: String(
            format: "limit:     %.0f rows/s, pgbench single-row INSERT (-M prepared -c %d), latency average %.2f ms",
            tps, load.writers, latency))
    }

    private func copies(in directory: URL) async throws -> Result {
        let files = try (0..<load.writers).map { writer in try copyScript(for: writer, in: directory) }
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: String.self) { group in
            for file in files {
                group.addTask {
                    try await ExternalProcess.run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file.path, scratch.libpqURL])
                }
            }
            try await group.waitForAll()
        }
        let elapsed = start.duration(to: .now)
        let rows = Double(load.totalEvents) / elapsed.seconds
        return Result(name: "COPY", rowsPerSecond: rows, report: String(
            format: "limit:     %.0f rows/s, %d concurrent psql COPYs of %d rows per transaction (%d rows in %.2f s)",
            rows, load.writers, load.batch, load.totalEvents, elapsed.seconds))
    }

    /// One writer's share as COPY blocks of `batch` rows; psql runs each in its own transaction.
    private func copyScript(for writer: Int, in directory: URL) throws -> URL {
        let file = directory.appendingPathComponent("copy-\(writer).sql")
        let payload = AppendLoad.payload(writer: writer)
        var text = ""
        text.reserveCapacity(load.appendsPerWriter * load.batch * 300)
        var version = 0
        for _ in 0..<load.appendsPerWriter {
            text += "COPY \(Self.table) (\(Self.columns)) FROM STDIN;\n"
            for _ in 0..<load.batch {
                version += 1
                text += "\(UUID().uuidString.lowercased())\tbench\tlimit-\(writer)\tlimit\t\(version)\tLockAcquired\t1\t"
                text += "\(payload)\t\(metadataJSON)\t2026-11-21 10:00:00+00\t\\\\x\(Self.hashHex)\n"
            }
            text += "\\.\n"
        }
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func number(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        return Double(text[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber || $0 == "." })
    }
}
