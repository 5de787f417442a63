import EventStore
import Foundation

/// Where an external read model is saved: `snapshot/` in its directory, with
/// `manifest.json` (name, version, and the log position it covers) beside the model's own
/// files. A save writes `snapshot.new/`, flushes it to the disk and swaps it in by renames,
/// so a crash or a power loss leaves the old or the new one whole.
struct ExternalSnapshot {
    let directory: URL

    struct Manifest: Codable, Equatable {
        let name: String
        let version: Int
        let checkpoint: String
    }

    /// Writes `model` with `manifest`.
    func save(_ model: some ExternalReadModel, _ manifest: Manifest) throws {
        let files = FileManager.default
        let fresh = directory.appendingPathComponent("snapshot.new")
        try? files.removeItem(at: fresh)
        try files.createDirectory(at: fresh, withIntermediateDirectories: true)
        try model.save(to: fresh)
        try JSONEncoder().encode(manifest).write(to: fresh.appendingPathComponent("manifest.json"))
        try Self.syncContents(of: fresh)
        let current = directory.appendingPathComponent("snapshot")
        let old = directory.appendingPathComponent("snapshot.old")
        // A crash between the renames leaves only `snapshot.old`: it is kept until the new
        // copy is in place.
        if files.fileExists(atPath: current.path) {
            try? files.removeItem(at: old)
            try files.moveItem(at: current, to: old)
        }
        try files.moveItem(at: fresh, to: current)
        try Self.sync(directory)
        try? files.removeItem(at: old)
    }

    /// The saved folder and its manifest, if any (the old one when a save stopped between
    /// its renames).
    func saved() throws -> (folder: URL, manifest: Manifest)? {
        let files = FileManager.default
        for name in ["snapshot", "snapshot.old"] {
            let folder = directory.appendingPathComponent(name)
            guard files.fileExists(atPath: folder.path) else { continue }
            let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
            return (folder, manifest)
        }
        return nil
    }
}
