import Crypto
import Foundation

/// One numbered SQL file of `migrations/`, e.g. `0001_event_log.sql`.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String
    /// SHA-256 of the file, hex: an applied migration whose file changed is refused.
    public let checksum: String

    /// - Throws: ``EventStoreError/Code/migrationMismatch`` if `fileName` is not `NNNN_name.sql`.
    public init(fileName: String, sql: String) throws {
        let stem = fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : ""
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]), version > 0 else {
            throw EventStoreError(.migrationMismatch, "migration file \(fileName) is not named NNNN_name.sql")
        }
        self.version = version
        self.name = fileName
        self.sql = sql
        self.checksum = Hex.encode(SHA256.hash(data: Data(sql.utf8)))
    }

    /// The migrations shipped with this binary, in order.
    /// - Throws: ``EventStoreError/Code/migrationMismatch`` if they cannot be read or two share a number.
    public static func bundled() throws -> [Migration] {
        guard let folder = Bundle.module.resourceURL,
              let migrations = try? load(from: folder), !migrations.isEmpty else {
            throw EventStoreError(.migrationMismatch, "this build carries no migrations (resource bundle missing)")
        }
        return migrations
    }

    /// The `NNNN_name.sql` files of `folder`, in order.
    public static func load(from folder: URL) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }
        let migrations = try files.map { file in
            try Migration(fileName: file, sql: String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8))
        }.sorted { $0.version < $1.version }
        for (a, b) in zip(migrations, migrations.dropFirst()) where a.version == b.version {
            throw EventStoreError(.migrationMismatch, "\(a.name) and \(b.name) share the number \(a.version)")
        }
        return migrations
    }
}
