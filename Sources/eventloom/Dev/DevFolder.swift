import Foundation

/// Where `eventloom dev` keeps its PostgreSQL cluster, NATS store and admin key:
/// `--data-dir`, else `EVENTLOOM_DEV_DIR`, else `.eventloom/` in the current folder, or a
/// folder under /tmp named after it when the postgres user cannot reach the current folder
/// (e.g. under a 0700 home, as root).
struct DevFolder {
    let path: String

    static func resolve(_ explicit: String?) -> DevFolder {
        if let explicit = explicit ?? ProcessInfo.processInfo.environment["EVENTLOOM_DEV_DIR"] { return DevFolder(path: explicit) }
        let cwd = FileManager.default.currentDirectoryPath
        let local = DevFolder(path: cwd + "/.eventloom")
        guard getuid() == 0, !everyParentIsSearchable(cwd) else { return local }
        var hash: UInt32 = 2_166_136_261
        for byte in cwd.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return DevFolder(path: "/tmp/eventloom-dev-\(String(hash, radix: 16))")
    }

    /// The postgres user needs "others may search" on every parent of its data.
    private static func everyParentIsSearchable(_ path: String) -> Bool {
        var current = URL(fileURLWithPath: path)
        while current.path != "/" {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: current.path),
                  let mode = attributes[.posixPermissions] as? Int, mode & 0o001 != 0 else { return false }
            current = current.deletingLastPathComponent()
        }
        return true
    }

    func sub(_ name: String) -> String { path + "/" + name }
}
