import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension ExternalSnapshot {
    /// Flushes every file in `folder`, then the folder itself, to the disk: a folder that a
    /// rename puts in place must be whole after a power loss, not only after a crash.
    static func syncContents(of folder: URL) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        for name in names { try sync(folder.appendingPathComponent(name)) }
        try sync(folder)
    }

    /// `fsync` of one file or folder.
    static func sync(_ url: URL) throws {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SnapshotSyncError(path: url.path, call: "open", code: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw SnapshotSyncError(path: url.path, call: "fsync", code: errno) }
    }
}

/// A saved read model's file could not be flushed to the disk.
struct SnapshotSyncError: Error, CustomStringConvertible {
    let path: String
    let call: String
    let code: Int32

    var description: String { "\(call) \(path): \(String(cString: strerror(code)))" }
}
